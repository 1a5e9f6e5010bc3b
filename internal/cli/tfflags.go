package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl"
)

// tfEvalOptions say how Terraform HCL is evaluated: where it is deployed
// and whether remote modules may be fetched. They are input flags, so
// scan, baseline create, graph and iam paths evaluate one configuration
// into one graph.
type tfEvalOptions struct {
	partition, region, cache                      string
	download                                      bool
	maxInstances, maxModules, maxResources, steps int
	evalTime, runTime                             time.Duration
}

func (t *tfEvalOptions) add(fs *pflag.FlagSet) {
	fs.StringVar(&t.partition, "partition", "aws", "AWS `partition` the Terraform is deployed to (aws, aws-cn, aws-us-gov): data.aws_partition and derived ARNs")
	fs.StringVar(&t.region, "region", "", "AWS `region` the Terraform is deployed to: data.aws_region (default: unknown)")
	fs.BoolVar(&t.download, "download-modules", false, "fetch registry, git and archive modules that terraform init has not installed, "+
		"as terraform init does, and Helm chart dependencies that charts/ does not hold from their http(s) chart repository, "+
		"as helm dependency build does (network; default: offline, such module calls and dependencies are reported as not read)")
	fs.StringVar(&t.cache, "module-cache", "", "`DIR` --download-modules keeps modules and Helm charts in (default: $XDG_CACHE_HOME/eksguard/modules)")
	fs.IntVar(&t.maxInstances, "max-instances", tfhcl.DefaultInstances, "Terraform: most `N` instances one count or for_each gives (the rest is reported unread)")
	fs.IntVar(&t.maxModules, "max-module-instances", tfhcl.DefaultModuleInstances, "Terraform: most module instances `N` of one root module")
	fs.IntVar(&t.maxResources, "max-resources", tfhcl.DefaultResources, "Terraform: most resource instances `N` of one root module")
	fs.IntVar(&t.steps, "max-eval-steps", tfhcl.DefaultSteps, "Terraform: most evaluation `steps` of one expression (a function call, and one per element it returns)")
	fs.DurationVar(&t.evalTime, "max-eval-time", tfhcl.DefaultTime, "Terraform: longest `time` the evaluation of one root module may take")
	fs.DurationVar(&t.runTime, "max-run-time", 10*time.Minute, "Terraform: longest `time` the evaluation of all root modules may take (the rest is reported unread)")
}

// apply sets the front-end options; accountID is --account-id or
// CloudFormation's AWS::AccountId, getenv reads the environment.
func (t *tfEvalOptions) apply(o *frontend.Options, accountID string, getenv func(string) string) {
	// Terraform takes a root variable from TF_VAR_name too: such a
	// variable has a value in CI, and its directory is a root module. Only
	// whether it is set is read: the value may be a secret.
	o.VarInEnv = func(name string) bool { return getenv("TF_VAR_"+name) != "" }
	o.Partition, o.Region, o.DownloadModules, o.ModuleCache = t.partition, t.region, t.download, t.cache
	o.AccountID = accountID
	o.TerraformLimits = tfhcl.Limits{Instances: t.maxInstances, ModuleInstances: t.maxModules, Resources: t.maxResources,
		Steps: t.steps, Time: t.evalTime}
	o.RunTime = t.runTime
}
