package cli

import (
	"flag"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl"
)

// tfEvalFlags say how Terraform HCL is evaluated: where it is deployed
// and whether remote modules may be fetched. scan, baseline create and iam
// paths share them, so one configuration gives one graph in each.
type tfEvalFlags struct {
	partition, region, cache                      *string
	download                                      *bool
	maxInstances, maxModules, maxResources, steps *int
	evalTime, runTime                             *time.Duration
	// followOutside is not Terraform's, but every command taking these
	// flags scans paths, and all of them must agree on what is read.
	followOutside *bool
}

// followOutsideUsage is shared with graph, which has no Terraform flags.
const followOutsideUsage = "follow symbolic links met in the scan (files, directories) whose target lies outside the PATHs scanned " +
	"(default: not followed, each reported as a notice)"

func addTFEvalFlags(fs *flag.FlagSet) *tfEvalFlags {
	return &tfEvalFlags{
		partition: fs.String("partition", "aws", "AWS `partition` the Terraform is deployed to (aws, aws-cn, aws-us-gov): data.aws_partition and derived ARNs"),
		region:    fs.String("region", "", "AWS `region` the Terraform is deployed to: data.aws_region (default: unknown)"),
		download: fs.Bool("download-modules", false, "fetch registry, git and archive modules that terraform init has not installed, "+
			"as terraform init does (network; default: offline, such module calls are reported as not read)"),
		cache:         fs.String("module-cache", "", "`DIR` --download-modules keeps modules in (default: $XDG_CACHE_HOME/eksguard/modules)"),
		maxInstances:  fs.Int("max-instances", tfhcl.DefaultInstances, "Terraform: most `N` instances one count or for_each gives (the rest is reported unread)"),
		maxModules:    fs.Int("max-module-instances", tfhcl.DefaultModuleInstances, "Terraform: most module instances `N` of one root module"),
		maxResources:  fs.Int("max-resources", tfhcl.DefaultResources, "Terraform: most resource instances `N` of one root module"),
		steps:         fs.Int("max-eval-steps", tfhcl.DefaultSteps, "Terraform: most evaluation `steps` of one expression (a function call, and one per element it returns)"),
		evalTime:      fs.Duration("max-eval-time", tfhcl.DefaultTime, "Terraform: longest `time` the evaluation of one root module may take"),
		runTime:       fs.Duration("max-run-time", 10*time.Minute, "Terraform: longest `time` the evaluation of all root modules may take (the rest is reported unread)"),
		followOutside: fs.Bool("follow-outside", false, followOutsideUsage),
	}
}

// apply sets the front-end options; accountID is --account-id or
// CloudFormation's AWS::AccountId, getenv reads the environment.
func (t *tfEvalFlags) apply(o *frontend.Options, accountID string, getenv func(string) string) {
	// Terraform takes a root variable from TF_VAR_name too: such a
	// variable has a value in CI, and its directory is a root module. Only
	// whether it is set is read: the value may be a secret.
	o.VarInEnv = func(name string) bool { return getenv("TF_VAR_"+name) != "" }
	o.Partition, o.Region, o.DownloadModules, o.ModuleCache = *t.partition, *t.region, *t.download, *t.cache
	o.AccountID = accountID
	o.TerraformLimits = tfhcl.Limits{Instances: *t.maxInstances, ModuleInstances: *t.maxModules, Resources: *t.maxResources,
		Steps: *t.steps, Time: *t.evalTime}
	o.RunTime = *t.runTime
	o.FollowOutside = *t.followOutside
}
