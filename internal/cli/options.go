package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/frontend/helm"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/scan"
)

// Options is every option of every command. Each command registers the
// groups of flags it takes onto one struct, so an option that shapes what
// is read (--var, --k8s-namespace, ...) is declared once and means the same
// in scan, baseline create, graph and iam paths: a baseline recorded with
// some flags matches a scan given the same ones.
type Options struct {
	// How the code is read (group inputs).
	Vars, VarFiles, CfnParams []string
	TfDir, K8sNamespace       string
	AccountID                 string
	tf                        tfEvalOptions
	FollowOutside             bool
	// HelmValues, HelmSet and KubeVersion say how Helm charts render,
	// HelmTimeout and HelmMemory the bounds of each chart's renderer.
	HelmValues, HelmSet []string
	KubeVersion         string
	HelmTimeout         time.Duration
	HelmMemory          int
	// ChangedFiles is scan's --changed-files: the PATHs are the files a
	// change touched, read as a walk reads them.
	ChangedFiles bool
	// SkipDirs and SkipFiles are ** globs a walk leaves out;
	// DefaultSkipDirs the directory names it never enters.
	SkipDirs, SkipFiles, DefaultSkipDirs []string

	// Custom Rego policies (group policies).
	Policies      []string
	RegoVersion   string
	PolicyTimeout time.Duration
	PolicyMemory  int
	PolicyBudget  int

	// What the rules judge against (group rules).
	AdminPrincipals, AllowedRegistries, CrownJewels []string
	AliasPattern, AsOf                              string
	// Rules and SkipRules select the rules that run (--rule ID and
	// --skip-rule ID=REASON; rules.enable and rules.disable in the
	// configuration file).
	Rules, SkipRules []string

	// Outputs and the gate (group outputs).
	Formats          []string
	FailOn           string
	FailOnIncomplete bool
	NoColor          bool
	Baseline         string
	Quiet            bool
	Severities       []string

	// Output is the baseline file of baseline create.
	Output string
	// Format is the one format of the commands that write one listing
	// (rules, iam methods, version); scan and iam paths take Formats.
	Format string

	// TestRun and TestVerbose are policy test's --run and -v.
	TestRun     string
	TestVerbose bool

	// Config names the configuration file (--config).
	Config string
}

// Flag groups: the heading each flag is listed under in --help and in the
// README's flag table.
const (
	groupOutputs  = "Output and gate"
	groupInputs   = "Input"
	groupRules    = "Rule"
	groupPolicies = "Custom policy"
	groupConfig   = "Configuration"
	// groupGeneral holds a command's own flags (--help, iam paths'
	// --format, policy test's --run).
	groupGeneral = "General"
)

// groupOrder is the order of the sections of --help.
var groupOrder = []string{groupOutputs, groupInputs, groupRules, groupPolicies, groupConfig}

// annGroup is the pflag annotation that carries a flag's group.
const annGroup = "eksguard_group"

// grouped declares flags with add and files every flag it added under g.
func grouped(fs *pflag.FlagSet, g string, add func()) {
	before := map[string]bool{}
	fs.VisitAll(func(f *pflag.Flag) { before[f.Name] = true })
	add()
	fs.VisitAll(func(f *pflag.Flag) {
		if !before[f.Name] {
			_ = fs.SetAnnotation(f.Name, annGroup, []string{g})
		}
	})
}

// addInputFlags declares how the code is read: every command that reads
// PATHs takes all of them.
func addInputFlags(fs *pflag.FlagSet, o *Options) {
	grouped(fs, groupInputs, func() {
		fs.StringArrayVar(&o.Vars, "var", nil, "Terraform root variable `NAME=VALUE`; repeatable (highest precedence)")
		fs.StringArrayVar(&o.VarFiles, "var-file", nil, "Terraform variables `FILE` (.tfvars); repeatable")
		fs.StringArrayVar(&o.CfnParams, "cfn-param", nil, "CloudFormation parameter or pseudo parameter `NAME=VALUE` (AWS::AccountId=...); repeatable (overrides Default)")
		fs.StringVar(&o.TfDir, "tf-dir", "", "Terraform configuration `DIR` of the plan files scanned, to report .tf lines (default: .tf files beside the plan)")
		fs.StringVar(&o.K8sNamespace, "k8s-namespace", "default", "`namespace` of Kubernetes objects that name none (as kubectl apply -n)")
		fs.StringArrayVar(&o.HelmValues, "helm-values", nil, "Helm values `FILE` applied to every chart scanned, over its values.yaml and values variants; repeatable")
		fs.StringArrayVar(&o.HelmSet, "helm-set", nil, "Helm value `KEY=VALUE` (helm --set syntax: a.b=c, list[0]=x) applied to every chart, over --helm-values; repeatable")
		fs.StringVar(&o.KubeVersion, "kube-version", helm.DefaultKubeVersion, "Kubernetes `version` Helm charts see as .Capabilities.KubeVersion; the default is the newest in Amazon EKS standard support")
		fs.DurationVar(&o.HelmTimeout, "helm-timeout", helm.DefaultTimeout, "time bound (a `duration`) of rendering one Helm chart, all its releases, from when the process rendering it is ready; it is killed past it")
		fs.IntVar(&o.HelmMemory, "helm-memory", helm.DefaultMaxMemory>>20, "memory (`MiB`) the process rendering one Helm chart may use before it is stopped")
		fs.StringVar(&o.AccountID, "account-id", "", "AWS account `ID` the code is deployed to, so IAM principals' ARNs are known (default: AWS::AccountId from --cfn-param)")
		o.tf.add(fs)
		fs.BoolVar(&o.FollowOutside, "follow-outside", false, "follow symbolic links met in the scan (files, directories) whose target lies outside the PATHs scanned "+
			"(default: not followed, each reported as a notice)")
		fs.StringSliceVar(&o.SkipDirs, "skip-dirs", nil, "directories a walk does not enter: ** `GLOB`s matched against the path relative to the PATH scanned and as met "+
			"(infra/legacy, **/testdata); comma-separated or repeated")
		fs.StringSliceVar(&o.SkipFiles, "skip-files", nil, "files a walk does not read: ** `GLOB`s as for --skip-dirs (**/*.tfvars.json, k8s/secrets-*.yaml); "+
			"a .tf file matched does not make its directory a Terraform input, but a module found otherwise is read whole")
		fs.StringSliceVar(&o.DefaultSkipDirs, "default-skip-dirs", frontend.DefaultSkipDirs, "directory `NAMES` a walk never enters, anywhere; "+
			"give an empty list (--default-skip-dirs '') to walk them all")
	})
}

// addRuleFlags declares what the rules judge against; every command whose
// result depends on rules' verdicts takes them.
func addRuleFlags(fs *pflag.FlagSet, o *Options) {
	grouped(fs, groupRules, func() {
		fs.StringArrayVar(&o.AdminPrincipals, "admin-principal", nil, "IAM principal `ARN` (glob) or role name allowed cluster-admin through EKS access entries; repeatable")
		fs.StringArrayVar(&o.AllowedRegistries, "allowed-registry", nil, "image registry `GLOB` workloads may pull from (host or host/path, * matches anything); repeatable (default: Amazon ECR private registries)")
		fs.StringVar(&o.AliasPattern, "alias-pattern", "", "Go regular `expression` AWS account aliases must match as a whole; a named group env gives the environment words CLI profile names must carry (default <org>-<env>-<purpose>, env one of dev|test|stage|staging|prod|production)")
		addCrownJewelFlag(fs, o)
		addAsOfFlag(fs, o, "judge date-based rules (support calendars, IAM date conditions) at this `date` (YYYY-MM-DD) instead of today")
		fs.StringSliceVar(&o.Rules, "rule", nil, "run only these rules: `ID`s or globs (EKS-*), built-in or custom; comma-separated or repeated; "+
			"every report lists the others as not selected (configuration: rules.enable)")
		fs.StringArrayVar(&o.SkipRules, "skip-rule", nil, "turn a rule off, with the reason every report shows: `ID=REASON` (an id or a glob); "+
			"repeatable; a reason is required (configuration: rules.disable)")
	})
}

func addCrownJewelFlag(fs *pflag.FlagSet, o *Options) {
	fs.StringArrayVar(&o.CrownJewels, "crown-jewel", nil, "IAM principal `ARN` (glob) treated as administrator by the escalation rules and paths (IAM-030, CI-003); repeatable")
}

func addAsOfFlag(fs *pflag.FlagSet, o *Options, usage string) {
	fs.StringVar(&o.AsOf, "as-of", "", usage)
}

// addPolicyFlags declares the flags that load custom Rego policies.
func addPolicyFlags(fs *pflag.FlagSet, o *Options) {
	grouped(fs, groupPolicies, func() {
		fs.StringArrayVar(&o.Policies, "policy", nil, "`DIR` (or .rego file) of custom Rego policies; repeatable")
		addRegoVersionFlag(fs, o)
		fs.DurationVar(&o.PolicyTimeout, "policy-timeout", 5*time.Second, "time bound (a `duration`) of one policy evaluation: one policy on one input")
		fs.IntVar(&o.PolicyMemory, "policy-memory", 1024, "heap growth (`MiB`) evaluations may cause before the one responsible is stopped")
		fs.IntVar(&o.PolicyBudget, "policy-budget", policy.DefaultBudget, "evaluations of one policy that may exceed --policy-timeout in a run (a `count`) before the policy is stopped for the rest of it")
	})
}

func addRegoVersionFlag(fs *pflag.FlagSet, o *Options) {
	fs.StringVar(&o.RegoVersion, "rego-version", "auto", "Rego `version` of the policies: v1, v0, or auto (v1, and v0 for files that are not valid v1)")
}

// addGateFlags declares scan's outputs and gate.
func addGateFlags(fs *pflag.FlagSet, o *Options) {
	grouped(fs, groupOutputs, func() {
		fs.StringArrayVarP(&o.Formats, "format", "f", nil, "output `format`: "+strings.Join(render.Formats(), ", ")+"; FORMAT=FILE writes to a file; repeatable (default text)")
		fs.StringVar(&o.FailOn, "fail-on", "high", "lowest `severity` that fails the gate: critical, high, medium, low or none")
		fs.BoolVar(&o.FailOnIncomplete, "fail-on-incomplete", false, "exit 2 when a module call could not be read (e.g. not downloaded), after writing every report")
		fs.BoolVar(&o.NoColor, "no-color", false, "disable colour in text output (also NO_COLOR)")
		fs.BoolVarP(&o.Quiet, "quiet", "q", false, "text report: only the input errors and the gate's verdict (other formats are unchanged)")
		fs.StringSliceVarP(&o.Severities, "severity", "s", nil, "text and Markdown reports: list only findings of these `SEVERITIES` "+
			"(critical,high,medium,low) and count the others as hidden; the gate and the other formats still see every finding")
		fs.StringVar(&o.Baseline, "baseline", "", "baseline `FILE` (eksguard baseline create): its findings are reported apart and not gated")
	})
}

// addConfigFlag declares --config, taken by every command that reads
// configuration.
func addConfigFlag(fs *pflag.FlagSet, o *Options) {
	grouped(fs, groupConfig, func() {
		fs.StringVarP(&o.Config, "config", "c", "", "configuration `FILE`: every flag but a command's own, suppressions and rules "+
			"(default: .eksguard.yaml in the first PATH's directory or a parent up to the repository root, else in the current directory or a parent; also EKSGUARD_CONFIG)")
	})
}

// usageError is a bad flag value: the command prints it and exits 3.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// keyValues reads NAME=VALUE flags.
func keyValues(flagName string, kvs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("%s: want NAME=VALUE, got %q", flagName, kv)
		}
		out[k] = v
	}
	return out, nil
}

// asOf parses --as-of; zero when not given.
func (o *Options) asOf() (time.Time, error) {
	if o.AsOf == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", o.AsOf)
	if err != nil {
		return time.Time{}, usagef("--as-of: want YYYY-MM-DD, got %q", o.AsOf)
	}
	return t, nil
}

// inputs is what the input flags make of the front-ends' options: the
// Terraform variables, CloudFormation parameters and the account.
type inputs struct {
	vars, params map[string]string
	account      string
}

func (o *Options) inputs() (inputs, error) {
	vars, err := keyValues("--var", o.Vars)
	if err != nil {
		return inputs{}, err
	}
	params, err := keyValues("--cfn-param", o.CfnParams)
	if err != nil {
		return inputs{}, err
	}
	acct := o.AccountID
	if acct == "" {
		acct = params["AWS::AccountId"]
	}
	return inputs{vars: vars, params: params, account: acct}, nil
}

// frontendOptions are the front-ends' options the input flags give.
func (o *Options) frontendOptions(env Env) (frontend.Options, error) {
	in, err := o.inputs()
	if err != nil {
		return frontend.Options{}, err
	}
	helm, err := o.helmOptions()
	if err != nil {
		return frontend.Options{}, err
	}
	fo := frontend.Options{Stdin: env.Stdin, Vars: in.vars, VarFiles: o.VarFiles, TfDir: o.TfDir,
		CfnParams: in.params, DefaultNamespace: o.K8sNamespace, Helm: helm}
	if err := o.applyWalk(&fo); err != nil {
		return fo, err
	}
	o.tf.apply(&fo, in.account, env.Getenv)
	return fo, nil
}

// helmOptions say how charts render. The command always renders them in
// child processes: only there do the time and memory bounds stop a
// template for good.
func (o *Options) helmOptions() (frontend.HelmOptions, error) {
	if o.HelmTimeout <= 0 || o.HelmMemory <= 0 || o.HelmMemory > 1<<20 {
		return frontend.HelmOptions{}, usagef("--helm-timeout must be positive and --helm-memory between 1 and 1048576 MiB")
	}
	return frontend.HelmOptions{ValueFiles: o.HelmValues, Set: o.HelmSet, KubeVersion: o.KubeVersion, Namespace: o.K8sNamespace,
		Timeout: o.HelmTimeout, MaxMemory: int64(o.HelmMemory) << 20, Isolate: true}, nil
}

// applyWalk sets what a walk reads: links out of the PATHs, exclusions.
func (o *Options) applyWalk(fo *frontend.Options) error {
	for _, g := range append(append([]string(nil), o.SkipDirs...), o.SkipFiles...) {
		if !frontend.ValidGlob(g) {
			return usagef("--skip-dirs/--skip-files: %q is not a valid glob", g)
		}
	}
	fo.FollowOutside = o.FollowOutside
	fo.ChangedFiles = o.ChangedFiles
	fo.SkipDirs, fo.SkipFiles = o.SkipDirs, o.SkipFiles
	// Non-nil, so an empty list walks every directory rather than
	// falling back to the defaults.
	fo.SkipDirNames = append([]string{}, o.DefaultSkipDirs...)
	return nil
}

// ruleConfig is what the rule flags give the rules.
func (o *Options) ruleConfig() (rule.Config, error) {
	cfg := rule.Config{AdminPrincipals: o.AdminPrincipals, AllowedRegistries: o.AllowedRegistries,
		CrownJewels: o.CrownJewels, AliasPattern: o.AliasPattern}
	if _, err := cfg.AliasRegexp(); err != nil {
		return cfg, usagef("--alias-pattern: %v", err)
	}
	t, err := o.asOf()
	if err != nil {
		return cfg, err
	}
	cfg.AsOf = t
	return cfg, nil
}

// selection is the rules the run keeps: --rule and --skip-rule, set on
// the command line or by EKSGUARD_RULE and EKSGUARD_SKIP_RULE, else the
// configuration file's rules section. A flag replaces the file's list, as
// every flag does, and the reports say which rules are off and why.
func (inv *invocation) selection() (scan.Selection, error) {
	o, fs := inv.opts, inv.fs
	var sel scan.Selection
	from := func(flag string) string {
		if at := inv.origin[flag]; at != "" {
			return strings.TrimPrefix(at, "by ")
		}
		return "--" + flag
	}
	switch {
	case fs.Lookup("rule") == nil:
	case fs.Changed("rule"):
		sel.Enable, sel.EnableSource = o.Rules, from("rule")
	case inv.cfg != nil && len(inv.cfg.enable) > 0:
		sel.Enable, sel.EnableSource = inv.cfg.enable, fmt.Sprintf("%s:%d", inv.cfg.file, inv.cfg.enableLine)
	}
	switch {
	case fs.Lookup("skip-rule") == nil:
	case fs.Changed("skip-rule"):
		for _, s := range o.SkipRules {
			id, reason, _ := strings.Cut(s, "=")
			if strings.TrimSpace(id) == "" || strings.TrimSpace(reason) == "" {
				return sel, usagef("--skip-rule: want ID=REASON, got %q: a disabled rule needs the reason every report shows "+
					"(--skip-rule 'K8S-012=quotas are set by the admission policy')", s)
			}
			sel.Disable = append(sel.Disable, scan.Disable{Pattern: strings.TrimSpace(id), Reason: strings.TrimSpace(reason), Source: from("skip-rule")})
		}
	case inv.cfg != nil:
		sel.Disable = inv.cfg.disable
	}
	return sel, nil
}

// shown parses --severity.
func (o *Options) shown() ([]rule.Severity, error) {
	var out []rule.Severity
	for _, s := range o.Severities {
		sev, err := rule.ParseSeverity(strings.TrimSpace(s))
		if err != nil || sev == rule.None {
			return nil, usagef("--severity: want critical, high, medium or low, got %q", s)
		}
		out = append(out, sev)
	}
	return out, nil
}
