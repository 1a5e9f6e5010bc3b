package builtin

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// Accounts and audit (Conveyor and the badboysofdevops.com posts): account alias naming, the AWS CLI
// profiles people and pipelines use to reach the accounts, CloudTrail, and
// the CloudWatch log group of the EKS control plane.

var accountRules = []*rule.Rule{accAlias, accRoleMFA, accStaticKeys, accProfileNames,
	audMultiRegion, audLogValidation, audTrailKMS, audTrailCloudWatch, audEKSLogRetention, audEKSLogKMS}

const (
	typeCLIProfile     = "awscli:profile"
	typeCLICredentials = "awscli:credentials"
)

var cliFilesDoc = awsdoc("AWS CLI: Configuration and credential file settings", "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html")

// aliasPatterns caches compiled alias patterns and their environment-word
// expressions, per pattern text.
var aliasPatterns sync.Map // string → *aliasConvention

type aliasConvention struct {
	alias *regexp.Regexp
	env   *regexp.Regexp // one environment word, anchored
	err   error
}

// convention returns the alias convention in force: the whole-alias
// pattern, and the environment words from its named group "env" (the
// default's when the pattern has none).
func convention(cfg *rule.Config) *aliasConvention {
	if c, ok := aliasPatterns.Load(cfg.AliasPattern); ok {
		return c.(*aliasConvention)
	}
	c := &aliasConvention{}
	c.alias, c.err = cfg.AliasRegexp()
	if c.err == nil {
		c.env = envWords(cfg.AliasPattern)
		if c.env == nil {
			c.env = envWords(rule.DefaultAliasPattern)
		}
	}
	aliasPatterns.Store(cfg.AliasPattern, c)
	return c
}

// envWords compiles the sub-expression of the group named env, anchored.
func envWords(pattern string) *regexp.Regexp {
	if pattern == "" {
		pattern = rule.DefaultAliasPattern
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	var find func(*syntax.Regexp) *syntax.Regexp
	find = func(r *syntax.Regexp) *syntax.Regexp {
		if r.Op == syntax.OpCapture && r.Name == "env" && len(r.Sub) == 1 {
			return r.Sub[0]
		}
		for _, s := range r.Sub {
			if f := find(s); f != nil {
				return f
			}
		}
		return nil
	}
	sub := find(re)
	if sub == nil {
		return nil
	}
	env, err := regexp.Compile(`^(?:` + sub.String() + `)$`)
	if err != nil {
		return nil
	}
	return env
}

var accAlias = &rule.Rule{
	ID:       "ACC-001",
	Title:    "AWS account alias does not follow the <org>-<env>-<purpose> convention",
	Severity: rule.Low,
	Service:  "IAM",
	Types:    []string{"aws_iam_account_alias"},
	Rationale: "The account alias post on badboysofdevops.com: with several accounts in an organization, an alias that says which environment an account " +
		"is (bboq-dev-website, bboq-prod-master) is what a person sees in the console (Admin @ bboq-prod-website) and " +
		"in the CLI; it is the cheapest guard against running a destructive change in production by mistake. The " +
		"default convention is lower-case dash-separated parts, an organization prefix, an environment word (dev, " +
		"test, stage, staging, prod, production) and a purpose; --alias-pattern sets another (a Go regular expression " +
		"the whole alias must match).",
	Remediation: "Rename the alias to <org>-<env>-<purpose>, or pass the team's own convention with --alias-pattern.",
	Example: `resource "aws_iam_account_alias" "this" {
  account_alias = "bboq-prod-website"
}`,
	References: []rule.Reference{RefAccountAlias,
		awsdoc("IAM: Your AWS account ID and its alias", "https://docs.aws.amazon.com/IAM/latest/UserGuide/console-account-alias.html"),
		tfdoc("aws_iam_account_alias")},
	Run: func(p *rule.Pass) {
		conv := convention(p.Config)
		for _, r := range p.Graph.OfType("aws_iam_account_alias") {
			path := firstPresent(r, "account_alias")
			if conv.err != nil {
				p.Unknown(r, path, "the alias pattern does not compile: %v", conv.err)
				continue
			}
			alias, ok := rule.StringOr(r.Get("account_alias"), "")
			switch {
			case !ok:
				p.Unknown(r, path, "account_alias is known only after apply")
			case conv.alias.MatchString(alias):
				p.Pass(r, path)
			default:
				p.Fail(r, path, "account alias %q does not follow the naming convention %s", alias, describeConvention(p.Config))
			}
		}
	},
}

func describeConvention(cfg *rule.Config) string {
	if cfg.AliasPattern == "" {
		return "<org>-<env>-<purpose> (env one of dev, test, stage, staging, prod, production)"
	}
	return "/" + cfg.AliasPattern + "/"
}

// cliProfile is one profile as the AWS CLI sees it: botocore merges the
// credentials file's section over the config file's profile of the same
// name.
type cliProfile struct {
	name       string
	cfg, creds *graph.Resource
}

// get reads a key, the credentials file first.
func (cp *cliProfile) get(key string) (*graph.Value, *graph.Resource) {
	if cp.creds != nil {
		if v := cp.creds.Get(key); v != nil {
			return v, cp.creds
		}
	}
	if cp.cfg != nil {
		if v := cp.cfg.Get(key); v != nil {
			return v, cp.cfg
		}
	}
	return nil, nil
}

// str reads a key as a string; absent and empty are "".
func (cp *cliProfile) str(key string) string {
	v, _ := cp.get(key)
	if v == nil || v.Kind != graph.String {
		return ""
	}
	return strings.TrimSpace(v.Str)
}

type cliProfilesKey struct{}

// cliProfiles indexes the profiles of every config and credentials file
// scanned, by name (the first of each file kind when several scanned
// files define one).
func cliProfiles(g *graph.Graph) map[string]*cliProfile {
	return graph.Memo(g, cliProfilesKey{}, func() map[string]*cliProfile {
		out := map[string]*cliProfile{}
		at := func(name string) *cliProfile {
			cp := out[name]
			if cp == nil {
				cp = &cliProfile{name: name}
				out[name] = cp
			}
			return cp
		}
		for _, r := range g.OfType(typeCLIProfile) {
			if cp := at(r.Name); cp.cfg == nil {
				cp.cfg = r
			}
		}
		for _, r := range g.OfType(typeCLICredentials) {
			if cp := at(r.Name); cp.creds == nil {
				cp.creds = r
			}
		}
		return out
	})
}

// sortedProfiles lists the indexed profiles by name.
func sortedProfiles(g *graph.Graph) []*cliProfile {
	idx := cliProfiles(g)
	out := make([]*cliProfile, 0, len(idx))
	for _, cp := range idx {
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// firstToken is a value up to its first blank: the AWS CLI has no inline
// comments, but an access key ID or a profile name never holds a blank.
func firstToken(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

var accRoleMFA = &rule.Rule{
	ID:       "ACC-002",
	Title:    "AWS CLI role profile assumes its role without MFA",
	Severity: rule.Medium,
	Service:  "IAM",
	Types:    []string{typeCLIProfile, typeCLICredentials},
	Rationale: "A profile with role_arn makes the CLI call sts:AssumeRole with the credentials of its source. Without " +
		"mfa_serial nothing but those credentials is asked for, so whoever copies a long-lived access key of the source " +
		"profile also gets the role, often an administrator one (the account alias post on badboysofdevops.com sets mfa_serial on its dev-website-admin " +
		"profile; Conveyor's documentation asks for MFA-backed SSO). Sources that bring their own authentication pass: IAM Identity " +
		"Center (sso_session, sso_start_url), credential_process, web identity tokens, a chained role that itself asks " +
		"for MFA, and the instance or container role of credential_source = Ec2InstanceMetadata or EcsContainer (no " +
		"person, no MFA to ask). A source profile that is not in the scanned files, or credential_source = Environment, " +
		"gives an unknown verdict.",
	Remediation: "Add mfa_serial (the ARN of the user's MFA device) to the role profile and require " +
		"aws:MultiFactorAuthPresent in the role's trust policy, or move people to IAM Identity Center profiles.",
	Example: `[profile dev-website-admin]
role_arn       = arn:aws:iam::123456654321:role/Admin
source_profile = bboq-prod-accounts
mfa_serial     = arn:aws:iam::123456654324:mfa/jane`,
	References: []rule.Reference{RefAccountAlias, RefConveyor,
		awsdoc("AWS CLI: Use an IAM role in the AWS CLI (multi-factor authentication)", "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html"),
		cliFilesDoc},
	Run: func(p *rule.Pass) {
		idx := cliProfiles(p.Graph)
		for _, cp := range sortedProfiles(p.Graph) {
			roleArn, r := cp.get("role_arn")
			if roleArn == nil || cp.str("role_arn") == "" {
				continue
			}
			st, why := roleSource(idx, cp, 0, map[string]bool{})
			switch st {
			case rule.StatusFail:
				p.FailAt(r, "role_arn", roleArn.Range, "profile %q assumes %s without mfa_serial: %s", cp.name, firstToken(cp.str("role_arn")), why)
			case rule.StatusPass:
				p.PassAt(r, "role_arn", roleArn.Range)
			default:
				p.UnknownAt(r, "role_arn", roleArn.Range, "profile %q has no mfa_serial and %s", cp.name, why)
			}
		}
	},
}

// roleSource judges how a role profile authenticates: pass when MFA or an
// authentication of its own stands before the role, fail when long-lived
// keys alone reach it, unknown when the scan cannot see the source.
func roleSource(idx map[string]*cliProfile, cp *cliProfile, depth int, seen map[string]bool) (rule.Status, string) {
	if cp.str("mfa_serial") != "" || cp.str("web_identity_token_file") != "" {
		return rule.StatusPass, ""
	}
	if src := cp.str("credential_source"); src != "" {
		switch firstToken(src) {
		case "Ec2InstanceMetadata", "EcsContainer":
			return rule.StatusPass, ""
		case "Environment":
			return rule.StatusUnknown, "its credential_source = Environment takes whatever keys the environment holds"
		}
		return rule.StatusUnknown, fmt.Sprintf("credential_source %q is not one the CLI knows", src)
	}
	name := firstToken(cp.str("source_profile"))
	if name == "" {
		return rule.StatusUnknown, "it names no source_profile or credential_source (the CLI cannot assume the role)"
	}
	if seen[name] || depth > 16 {
		return rule.StatusUnknown, fmt.Sprintf("its source_profile chain loops through %q", name)
	}
	seen[name] = true
	src := idx[name]
	if name == cp.name {
		// A profile that is its own source uses its own static keys.
		if cp.str("aws_access_key_id") != "" {
			return rule.StatusFail, "it uses its own long-lived access key"
		}
		return rule.StatusUnknown, "it is its own source_profile but holds no access key the scan can see"
	}
	if src == nil {
		return rule.StatusUnknown, fmt.Sprintf("its source_profile %q is not in the scanned config or credentials files", name)
	}
	switch {
	case src.str("sso_session") != "" || src.str("sso_start_url") != "":
		return rule.StatusPass, ""
	case src.str("credential_process") != "":
		return rule.StatusPass, ""
	case src.str("role_arn") != "":
		st, why := roleSource(idx, src, depth+1, seen)
		if st == rule.StatusFail {
			why = fmt.Sprintf("its source %q is a role profile without MFA either, and %s", name, why)
		}
		return st, why
	case src.str("aws_access_key_id") != "":
		return rule.StatusFail, fmt.Sprintf("the long-lived access key of profile %q is all it takes", name)
	}
	return rule.StatusUnknown, fmt.Sprintf("its source_profile %q holds no credentials the scan can see", name)
}

// accessKeyShape tells long-lived (AKIA) from temporary (ASIA) access key
// IDs.
var accessKeyShape = regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)

var accStaticKeys = &rule.Rule{
	ID:       "ACC-003",
	Title:    "Long-lived AWS access key stored in an AWS CLI credentials or config file",
	Severity: rule.High,
	Service:  "IAM",
	Types:    []string{typeCLIProfile, typeCLICredentials},
	Rationale: "An IAM user access key (AKIA...) never expires: once it leaks from a laptop, a backup, a container " +
		"image or a repository, it works until someone notices and deletes it. Conveyor and the DevSecOps settings page use SSO and OIDC " +
		"instead: people sign in through IAM Identity Center, pipelines get short-lived role credentials. Temporary " +
		"credentials (ASIA..., usable only with their session token, as written by aws sso or a credential helper) " +
		"expire within hours and pass; so do the AWS documentation's example keys (...EXAMPLE). A value that is not an access key ID (a " +
		"template placeholder such as ${AWS_ACCESS_KEY_ID}) gives an unknown verdict. eksguard never stores or shows " +
		"the secret key itself.",
	Remediation: "Delete the key (aws iam delete-access-key) and the lines holding it; use an IAM Identity Center " +
		"profile (aws configure sso) for people, OIDC or an instance/pod role for machines, or at least a " +
		"credential_process helper that keeps the key in an encrypted store and asks for MFA.",
	Example: `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region    = eu-west-1

[profile prod-website-admin]
sso_session    = corp
sso_account_id = 123456654321
sso_role_name  = Admin`,
	References: []rule.Reference{RefConveyor, RefDevSecOps,
		awsdoc("IAM: Security best practices (require temporary credentials)", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"),
		awsdoc("AWS CLI: Configure IAM Identity Center authentication", "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html"),
		cliFilesDoc},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType(typeCLICredentials, typeCLIProfile) {
			v := r.Get("aws_access_key_id")
			if v == nil {
				p.Pass(r, "")
				continue
			}
			id := firstToken(v.Str)
			m := accessKeyShape.FindStringSubmatch(id)
			switch {
			case id == "":
				p.Pass(r, "aws_access_key_id")
			case m != nil && strings.HasSuffix(id, "EXAMPLE"):
				p.Pass(r, "aws_access_key_id")
			case m != nil && m[1] == "ASIA":
				p.Pass(r, "aws_access_key_id")
			case m != nil:
				p.Fail(r, "aws_access_key_id", "profile %q keeps the long-lived access key %s...%s", r.Name, id[:4], id[len(id)-4:])
			default:
				p.Unknown(r, "aws_access_key_id", "aws_access_key_id of profile %q is not an access key ID (a template or placeholder?); "+
					"whether a long-lived key is stored here is known only once it is filled in", r.Name)
			}
		}
	},
}

// credentialSettings make a profile a way into an account.
var credentialSettings = []string{"aws_access_key_id", "role_arn", "source_profile", "credential_source",
	"credential_process", "sso_session", "sso_start_url", "sso_account_id", "web_identity_token_file"}

var accProfileNames = &rule.Rule{
	ID:       "ACC-004",
	Title:    "AWS CLI profile name does not tell the environment it reaches",
	Severity: rule.Low,
	Service:  "IAM",
	Types:    []string{typeCLIProfile, typeCLICredentials},
	Rationale: "The account alias post on badboysofdevops.com names CLI profiles after the account alias convention (prod-master-admin for bboq-prod-master, " +
		"dev-website-admin for bboq-dev-website), so that --profile says which environment a command will change. " +
		"A profile name passes when one of its parts (split at - _ . / @) is an environment word: those of the named " +
		"group env of --alias-pattern, by default dev, test, stage, staging, prod, production (case-insensitive). The " +
		"default profile is used by every command run without --profile, so it must hold no credentials (region and " +
		"output settings only). A name written as a template (${ENV}-admin, {{ .env }}-admin) gives an unknown verdict.",
	Remediation: "Rename the profile to <env>-<purpose>[-<role>] (prod-website-admin), and keep credentials out of " +
		"[default] so that no command reaches an account unless a profile is named.",
	Example: `[default]
region = eu-west-1

[profile prod-website-admin]
sso_session    = corp
sso_account_id = 123456654321
sso_role_name  = Admin`,
	References: []rule.Reference{RefAccountAlias, cliFilesDoc},
	Run: func(p *rule.Pass) {
		conv := convention(p.Config)
		for _, r := range p.Graph.OfType(typeCLIProfile, typeCLICredentials) {
			switch {
			case conv.err != nil:
				p.Unknown(r, "", "the alias pattern does not compile: %v", conv.err)
			case strings.Contains(r.Name, "${") || strings.Contains(r.Name, "{{"):
				p.Unknown(r, "", "profile name %q is a template; its environment word is known only once rendered", r.Name)
			case r.Name == "default":
				if k := firstSetting(r, credentialSettings); k != "" {
					p.Fail(r, "", "the default profile holds credentials (%s): a command run without --profile reaches an account its name does not tell", k)
				} else {
					p.Pass(r, "")
				}
			case hasEnvWord(r.Name, conv.env):
				p.Pass(r, "")
			default:
				p.Fail(r, "", "profile name %q carries no environment word (%s)", r.Name, envWordList(conv.env))
			}
		}
	},
}

func firstSetting(r *graph.Resource, keys []string) string {
	for _, k := range keys {
		if v := r.Get(k); v != nil && v.Kind == graph.String && strings.TrimSpace(v.Str) != "" {
			return k
		}
	}
	return ""
}

func hasEnvWord(name string, env *regexp.Regexp) bool {
	for _, part := range strings.FieldsFunc(strings.ToLower(name), func(c rune) bool {
		return c == '-' || c == '_' || c == '.' || c == '/' || c == '@' || c == ' '
	}) {
		if env.MatchString(part) {
			return true
		}
	}
	return false
}

func envWordList(env *regexp.Regexp) string {
	s := strings.TrimSuffix(strings.TrimPrefix(env.String(), "^(?:"), ")$")
	return strings.ReplaceAll(s, "|", ", ")
}

// CloudTrail (Conveyor's documentation: "record all interactions with the AWS API").

var (
	cloudTrailControls = awsdoc("AWS Security Hub: CloudTrail controls (CIS AWS Foundations Benchmark mappings)",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html")
	cloudWatchControls = awsdoc("AWS Security Hub: CloudWatch controls (log group retention)",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html")
	eksControlPlaneLogs = awsdoc("Amazon EKS: Send control plane logs to CloudWatch Logs",
		"https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html")
)

// trailBool builds the run function of a rule that wants a boolean
// attribute of every trail true (AWS default false).
func trailBool(attr, failMsg string) func(*rule.Pass) {
	return func(p *rule.Pass) {
		for _, t := range p.Graph.OfType("aws_cloudtrail") {
			p.Report(rule.BoolOr(t.Get(attr), false).Not(), t, firstPresent(t, attr), failMsg,
				attr+" is known only after apply")
		}
	}
}

var audMultiRegion = &rule.Rule{
	ID:       "AUD-001",
	Title:    "CloudTrail trail records one region only",
	Severity: rule.Medium,
	Service:  "CloudTrail",
	Types:    []string{"aws_cloudtrail"},
	Rationale: "A single-region trail misses every API call made in the other regions: an intruder who starts " +
		"instances or creates resources in a region nobody uses leaves no record (Conveyor relies on CloudTrail to " +
		"audit all interactions with the AWS API). is_multi_region_trail defaults to false.",
	Remediation: "Set is_multi_region_trail = true (and include_global_service_events = true), or rely on an " +
		"organization trail that is multi-region.",
	Example: `resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.trail.arn
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_to_cloudwatch.arn
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("AWS CloudTrail: Receiving CloudTrail log files from multiple Regions", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html"),
		cloudTrailControls, tfdoc("aws_cloudtrail")},
	Run: trailBool("is_multi_region_trail", "the trail records API calls of its home region only (is_multi_region_trail is not true)"),
}

var audLogValidation = &rule.Rule{
	ID:       "AUD-002",
	Title:    "CloudTrail log file validation is off",
	Severity: rule.Low,
	Service:  "CloudTrail",
	Types:    []string{"aws_cloudtrail"},
	Rationale: "Without log file validation CloudTrail writes no signed digest files, so a log file changed or deleted " +
		"in the bucket by someone covering their tracks cannot be detected; the audit trail Conveyor's documentation describes is only as " +
		"good as its integrity. enable_log_file_validation defaults to false.",
	Remediation: "Set enable_log_file_validation = true and check the trail with aws cloudtrail validate-logs.",
	Example: `resource "aws_cloudtrail" "main" {
  enable_log_file_validation = true
}`,
	References: []rule.Reference{RefConveyor,
		awsdoc("AWS CloudTrail: Validating CloudTrail log file integrity", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"),
		cloudTrailControls, tfdoc("aws_cloudtrail")},
	Run: trailBool("enable_log_file_validation", "log file validation is off: changes to the delivered log files go unnoticed"),
}

// refConfigured tells whether an attribute names something: a non-empty
// string, or a value known only after apply that refers to a resource of
// the given types in the scanned code (which one is unknown, not whether).
// An unknown value without such a reference (a variable without a value)
// is unknown.
func refConfigured(g *graph.Graph, r *graph.Resource, attr string, types ...string) rule.Tri {
	v := r.Get(attr)
	switch {
	case v.IsUnknown():
		if len(g.Targets(r, attr, types...)) > 0 {
			return rule.True
		}
		return rule.TriUnknown
	case v == nil || v.Kind == graph.Null:
		return rule.False
	case v.Kind == graph.String:
		return rule.Of(strings.TrimSpace(v.Str) != "")
	}
	return rule.TriUnknown
}

var audTrailKMS = &rule.Rule{
	ID:       "AUD-003",
	Title:    "CloudTrail logs are not encrypted with a KMS key",
	Severity: rule.Medium,
	Service:  "CloudTrail",
	Types:    []string{"aws_cloudtrail"},
	Rationale: "By default trail files are encrypted with S3 managed keys: anyone allowed to read the bucket reads the " +
		"account's whole API history (who did what, from where, with which role). With a customer managed KMS key, " +
		"reading also needs kms:Decrypt on that key, and each decryption is itself logged (Conveyor, AOS Edge).",
	Remediation: "Create a KMS key whose policy lets cloudtrail.amazonaws.com encrypt, and set kms_key_id on the trail.",
	Example: `resource "aws_cloudtrail" "main" {
  kms_key_id = aws_kms_key.trail.arn
}`,
	References: []rule.Reference{RefConveyor, RefAosEdge,
		awsdoc("AWS CloudTrail: Encrypting CloudTrail log files with AWS KMS keys (SSE-KMS)", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html"),
		cloudTrailControls, tfdoc("aws_cloudtrail")},
	Run: func(p *rule.Pass) {
		for _, t := range p.Graph.OfType("aws_cloudtrail") {
			p.Report(refConfigured(p.Graph, t, "kms_key_id", "aws_kms_key", "aws_kms_alias").Not(), t, firstPresent(t, "kms_key_id"),
				"the trail's log files are not encrypted with a KMS key (kms_key_id not set)",
				"kms_key_id is known only after apply")
		}
	},
}

var audTrailCloudWatch = &rule.Rule{
	ID:       "AUD-004",
	Title:    "CloudTrail does not deliver to CloudWatch Logs",
	Severity: rule.Low,
	Service:  "CloudTrail",
	Types:    []string{"aws_cloudtrail"},
	Rationale: "Delivered to S3 only, trail events are read after the fact, if at all. Sent to a CloudWatch Logs group " +
		"they can drive metric filters and alarms (root sign-in, IAM policy changes, console logins without MFA) and be " +
		"queried with Logs Insights, which is how Conveyor's documentation expects the account to be audited and how the DevSecOps settings " +
		"page expects the environment to be actively monitored.",
	Remediation: "Set cloud_watch_logs_group_arn (\"<log group arn>:*\") and cloud_watch_logs_role_arn on the trail.",
	Example: `resource "aws_cloudtrail" "main" {
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_cloudwatch.arn
}`,
	References: []rule.Reference{RefConveyor, RefDevSecOps,
		awsdoc("AWS CloudTrail: Sending events to CloudWatch Logs", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html"),
		cloudTrailControls, tfdoc("aws_cloudtrail")},
	Run: func(p *rule.Pass) {
		for _, t := range p.Graph.OfType("aws_cloudtrail") {
			p.Report(refConfigured(p.Graph, t, "cloud_watch_logs_group_arn", "aws_cloudwatch_log_group").Not(), t,
				firstPresent(t, "cloud_watch_logs_group_arn"),
				"the trail delivers to S3 only (cloud_watch_logs_group_arn not set): no alarm or query can watch it",
				"cloud_watch_logs_group_arn is known only after apply")
		}
	},
}

// EKS control-plane log group.

var eksLogGroupName = regexp.MustCompile(`^/aws/eks/([^/]+)/cluster$`)

// eksLogGroups indexes the log groups that receive EKS control-plane logs:
// by cluster name for names known, and by cluster for groups whose name
// refers to an aws_eks_cluster but is known only after apply.
type eksLogIndex struct {
	byCluster map[string][]*graph.Resource
	byRef     map[*graph.Resource][]*graph.Resource
	groups    []*graph.Resource // every EKS log group, in graph order
	// unknownNamed counts log groups whose name is known only after apply
	// and refers to no cluster: any of them may be a cluster's group.
	unknownNamed int
}

type eksLogGroupsKey struct{}

func eksLogGroups(g *graph.Graph) *eksLogIndex {
	return graph.Memo(g, eksLogGroupsKey{}, func() *eksLogIndex {
		idx := &eksLogIndex{byCluster: map[string][]*graph.Resource{}, byRef: map[*graph.Resource][]*graph.Resource{}}
		for _, lg := range g.OfType("aws_cloudwatch_log_group") {
			name := lg.Get("name")
			switch {
			case name != nil && name.Kind == graph.String:
				if m := eksLogGroupName.FindStringSubmatch(name.Str); m != nil {
					idx.byCluster[m[1]] = append(idx.byCluster[m[1]], lg)
					idx.groups = append(idx.groups, lg)
				}
			case name.IsUnknown():
				cs := g.Targets(lg, "name", "aws_eks_cluster")
				for _, c := range cs {
					idx.byRef[c] = append(idx.byRef[c], lg)
				}
				if len(cs) > 0 {
					idx.groups = append(idx.groups, lg)
				} else {
					idx.unknownNamed++
				}
			}
		}
		return idx
	})
}

// eksLogGroupRule builds the run function of a rule judging the EKS
// control-plane log group: check on every such group declared, and on a
// cluster that sends logs to a group the scanned code does not declare
// (EKS then creates it itself, with the defaults in missingMsg).
func eksLogGroupRule(check func(p *rule.Pass, lg *graph.Resource), missingMsg string) func(*rule.Pass) {
	return func(p *rule.Pass) {
		idx := eksLogGroups(p.Graph)
		for _, lg := range idx.groups {
			check(p, lg)
		}
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			types, _ := rule.Strings(c.Get("enabled_cluster_log_types"))
			if len(types) == 0 {
				// No logging (EKS-005 judges that), or a list known only
				// after apply.
				continue
			}
			if len(idx.byRef[c]) > 0 {
				continue
			}
			path := firstPresent(c, "enabled_cluster_log_types")
			name, ok := rule.StringOr(c.Get("name"), "")
			switch {
			case ok && name != "" && len(idx.byCluster[name]) > 0:
				continue
			case (!ok || name == "") && (len(idx.groups) > 0 || idx.unknownNamed > 0):
				p.Unknown(c, path, "the cluster name is known only after apply, so which declared log group receives its logs cannot be told")
			case idx.unknownNamed > 0:
				p.Unknown(c, path, "no log group named /aws/eks/%s/cluster is declared, but one whose name is known only after apply may be it", name)
			default:
				if name == "" || !ok {
					name = "<cluster>"
				}
				p.Fail(c, path, "control-plane logs go to /aws/eks/%s/cluster, which the scanned code does not declare: EKS creates it itself, %s", name, missingMsg)
			}
		}
	}
}

// minRetentionDays is the retention the CIS AWS Foundations Benchmark and
// Security Hub (CloudWatch.16) ask of log groups.
const minRetentionDays = 365

var audEKSLogRetention = &rule.Rule{
	ID:       "AUD-005",
	Title:    "EKS control-plane log group has no retention period, or one shorter than a year",
	Severity: rule.Low,
	Service:  "CloudWatch",
	Types:    []string{"aws_cloudwatch_log_group", "aws_eks_cluster"},
	Rationale: "The audit and authenticator logs of /aws/eks/<cluster>/cluster are the evidence an investigation " +
		"needs (Conveyor, the DevSecOps settings page: who did what through the Kubernetes API). Kept less than a year, they are gone before " +
		"many breaches are even found (Security Hub CloudWatch.16 and the CIS benchmark ask for 365 days). Left at " +
		"retention_in_days unset or 0, the group never expires: nobody decided how long the personal data it holds " +
		"(user names, source IPs) is kept, and its cost only grows. A cluster that enables logging without declaring " +
		"the group gets one EKS creates itself, which never expires; that fails here too.",
	Remediation: "Declare aws_cloudwatch_log_group \"/aws/eks/<cluster>/cluster\" before the cluster (depends_on) with " +
		"retention_in_days set to your audit policy, at least 365, and a kms_key_id.",
	Example: `resource "aws_cloudwatch_log_group" "eks" {
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_eks_cluster" "this" {
  name                      = var.cluster_name
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  depends_on                = [aws_cloudwatch_log_group.eks]
}`,
	References: []rule.Reference{RefConveyor, RefDevSecOps,
		bpg("auditing-and-logging", "", "Auditing and logging"), eksControlPlaneLogs, cloudWatchControls,
		tfdoc("aws_cloudwatch_log_group")},
	Run: eksLogGroupRule(func(p *rule.Pass, lg *graph.Resource) {
		path := firstPresent(lg, "retention_in_days")
		days, ok := rule.NumberOr(lg.Get("retention_in_days"), 0)
		switch {
		case !ok:
			p.Unknown(lg, path, "retention_in_days is known only after apply")
		case days <= 0:
			p.Fail(lg, path, "the EKS control-plane log group never expires (retention_in_days unset or 0): no retention was decided")
		case days < minRetentionDays:
			p.Fail(lg, path, "the EKS control-plane log group keeps audit logs %g days, less than %d", days, minRetentionDays)
		default:
			p.Pass(lg, path)
		}
	}, "with no retention period (never expires)"),
}

var audEKSLogKMS = &rule.Rule{
	ID:       "AUD-006",
	Title:    "EKS control-plane log group is not encrypted with a KMS key",
	Severity: rule.Low,
	Service:  "CloudWatch",
	Types:    []string{"aws_cloudwatch_log_group", "aws_eks_cluster"},
	Rationale: "The EKS audit log records every request to the Kubernetes API: user names, source addresses, the " +
		"objects read and changed. CloudWatch Logs encrypts it with a key AWS owns, so reading it takes only " +
		"logs:GetLogEvents; with a customer managed KMS key it also takes kms:Decrypt on that key, granted apart and " +
		"logged (AOS Edge: KMS keys per purpose). A cluster that enables logging without declaring the group gets one " +
		"EKS creates itself, without a KMS key; that fails here too.",
	Remediation: "Set kms_key_id on the aws_cloudwatch_log_group \"/aws/eks/<cluster>/cluster\", with a key policy " +
		"that lets logs.<region>.amazonaws.com use the key.",
	Example: `resource "aws_cloudwatch_log_group" "eks" {
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}`,
	References: []rule.Reference{RefConveyor, RefAosEdge,
		bpg("auditing-and-logging", "", "Auditing and logging"), eksControlPlaneLogs,
		awsdoc("Amazon CloudWatch Logs: Encrypt log data using AWS KMS", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"),
		tfdoc("aws_cloudwatch_log_group")},
	Run: eksLogGroupRule(func(p *rule.Pass, lg *graph.Resource) {
		p.Report(refConfigured(p.Graph, lg, "kms_key_id", "aws_kms_key", "aws_kms_alias").Not(), lg, firstPresent(lg, "kms_key_id"),
			"the EKS control-plane log group is not encrypted with a KMS key (kms_key_id not set)",
			"kms_key_id is known only after apply")
	}, "without a KMS key"),
}
