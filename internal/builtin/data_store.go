package builtin

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

// dataStoreRules check KMS keys, Secrets Manager, EBS, ECR and CloudFront.
var dataStoreRules = []*rule.Rule{dataSecretKMS, dataKMSPolicyOpen, dataKMSRotation, dataEBSDefault, dataEBSCopies,
	dataCloudFrontSigned, dataCloudFrontTLS, dataECRScan, dataECRMutable, dataECRKMS}

// part is one judged element of a resource (a replica, a cache behavior): a
// three-valued failure, the attribute path and source range it is about,
// and the message for a failure or an unknown.
type part struct {
	t    rule.Tri
	path string
	at   graph.Range
	msg  string
}

// reportParts reports a resource's parts the way policy documents are
// reported: every failing part; when none fails, every unknown one;
// otherwise one pass at passPath. No parts, no verdict.
func reportParts(p *rule.Pass, r *graph.Resource, parts []part, passPath string) {
	if len(parts) == 0 {
		return
	}
	for _, want := range []rule.Tri{rule.True, rule.TriUnknown} {
		found := false
		for _, pt := range parts {
			if pt.t != want {
				continue
			}
			found = true
			if want == rule.True {
				p.FailAt(r, pt.path, pt.at, "%s", pt.msg)
			} else {
				p.UnknownAt(r, pt.path, pt.at, "%s", pt.msg)
			}
		}
		if found {
			return
		}
	}
	p.Pass(r, passPath)
}

// kmsKeyTypes are the resources that are, or name, a customer managed key.
var kmsKeyTypes = []string{"aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key", "aws_kms_replica_external_key", "aws_kms_alias"}

// awsManagedAlias reports whether a key id, ARN or alias names an AWS
// managed key (alias/aws/secretsmanager, alias/aws/ecr...).
func awsManagedAlias(s string) bool { return strings.Contains(s, "alias/aws/") }

// customerKey tells whether v (held by r, edges recorded at edgeAttr) names
// a customer managed KMS key: absent or empty is false (the service then
// uses its AWS managed key), an alias/aws/... name is false, any other
// literal is true. A value known only after apply is a customer key when it
// refers to a key or alias resource, false when it refers to a data source
// reading an AWS managed alias, and unknown otherwise (a variable may be
// empty).
func customerKey(g *graph.Graph, r *graph.Resource, v *graph.Value, edgeAttr string) rule.Tri {
	switch {
	case v.IsNull():
		return rule.False
	case v.Kind == graph.String:
		return rule.Of(v.Str != "" && !awsManagedAlias(v.Str))
	case !v.IsUnknown():
		return rule.TriUnknown
	}
	out := rule.TriUnknown
	for _, t := range g.Targets(r, edgeAttr, kmsKeyTypes...) {
		if t.Mode == graph.Data {
			name, ok := rule.StringOr(t.Get("name"), "")
			if !ok || name == "" {
				name, ok = rule.StringOr(t.Get("key_id"), "")
			}
			if ok && awsManagedAlias(name) {
				return rule.False
			}
			if !ok || name == "" {
				continue
			}
		}
		out = rule.True
	}
	return out
}

// present tells whether an optional string attribute is set: a non-empty
// literal, or a value known only after apply that refers to a resource
// (edge at edgeAttr); unknown when it comes from elsewhere (a variable may
// be empty).
func present(g *graph.Graph, r *graph.Resource, v *graph.Value, edgeAttr string) rule.Tri {
	switch {
	case v.IsNull():
		return rule.False
	case v.IsUnknown():
		if len(g.Targets(r, edgeAttr)) > 0 {
			return rule.True
		}
		return rule.TriUnknown
	case v.Kind == graph.String:
		return rule.Of(v.Str != "")
	}
	return rule.TriUnknown
}

// nonEmptyList tells whether a list attribute has elements; a whole list
// known only after apply counts when it refers to a resource.
func nonEmptyList(g *graph.Graph, r *graph.Resource, v *graph.Value, edgeAttr string) rule.Tri {
	switch {
	case v.IsNull():
		return rule.False
	case v.IsUnknown():
		if len(g.Targets(r, edgeAttr)) > 0 {
			return rule.True
		}
		return rule.TriUnknown
	}
	return rule.Of(len(v.Items()) > 0)
}

// setPath is firstPresent that also skips nulls, which plans write for
// attributes left unset.
func setPath(r *graph.Resource, paths ...string) string {
	for _, p := range paths {
		if !r.Get(p).IsNull() {
			return p
		}
	}
	return ""
}

func indexed(base string, i, n int) string {
	if n == 1 {
		return base
	}
	return base + "." + itoa(i)
}

var dataSecretKMS = &rule.Rule{
	ID:       "DATA-010",
	Title:    "Secrets Manager secret is not encrypted with a customer managed KMS key",
	Severity: rule.Medium,
	Service:  "Secrets Manager",
	Types:    []string{"aws_secretsmanager_secret", "aws_kms_key", "aws_kms_alias"},
	Rationale: "Without kms_key_id, Secrets Manager encrypts the secret with the AWS managed key aws/secretsmanager " +
		"(and each replica with that key in its region). Its key policy lets every principal of the account that may " +
		"call Secrets Manager use it, so access to the secret is decided by IAM alone: the key adds no separate " +
		"grant to audit or revoke, cannot be shared across accounts, and its policy cannot be changed. AOS Edge " +
		"encrypts every Secrets Manager secret with its own customer key (alias <project>-<env>-key). A kms_key_id " +
		"that refers to a key or alias in the code passes; one that names alias/aws/secretsmanager fails; one that " +
		"comes from a variable without a value is unknown.",
	Remediation: "Set kms_key_id to a customer managed key (aws_kms_key with rotation on and a policy naming the " +
		"roles that read the secret), and kms_key_id on every replica block to a key in the replica's region.",
	Example: `resource "aws_secretsmanager_secret" "db" {
  name       = "prod/db/credentials"
  kms_key_id = aws_kms_key.secrets.arn

  replica {
    region     = "eu-west-2"
    kms_key_id = aws_kms_replica_key.secrets.arn
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("AWS Secrets Manager: Secret encryption and decryption", "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html"),
		tfdoc("aws_secretsmanager_secret")},
	Run: func(p *rule.Pass) {
		for _, s := range p.Graph.OfType("aws_secretsmanager_secret") {
			var parts []part
			v := s.Get("kms_key_id")
			t := customerKey(p.Graph, s, v, "kms_key_id").Not()
			path := setPath(s, "kms_key_id")
			msg := "the secret is encrypted with the AWS managed key aws/secretsmanager (kms_key_id is not set)"
			if v != nil && v.Kind == graph.String && v.Str != "" {
				msg = fmt.Sprintf("kms_key_id %q is the AWS managed key of Secrets Manager, not a customer managed key", v.Str)
			} else if t == rule.TriUnknown || v.IsUnknown() {
				msg = "kms_key_id is known only after apply and refers to no KMS key in the code; unset, the AWS managed key aws/secretsmanager is used"
			}
			parts = append(parts, part{t: t, path: path, at: s.AttrRange(path), msg: msg})
			reps := s.Get("replica")
			if reps.IsUnknown() {
				parts = append(parts, part{t: rule.TriUnknown, path: "replica", at: s.AttrRange("replica"),
					msg: "the replica blocks are known only after apply; a replica without kms_key_id uses aws/secretsmanager of its region"})
			}
			items := reps.Items()
			for i, rep := range items {
				if reps.IsUnknown() {
					break
				}
				base := indexed("replica", i, len(items))
				rpath := base
				if !rep.Get("kms_key_id").IsNull() {
					rpath = base + ".kms_key_id"
				}
				region, _ := rule.StringOr(rep.Get("region"), "")
				if region == "" {
					region = "its region"
				}
				rt := customerKey(p.Graph, s, rep.Get("kms_key_id"), "replica.kms_key_id").Not()
				rmsg := fmt.Sprintf("the replica in %s is encrypted with the AWS managed key aws/secretsmanager of that region (no kms_key_id)", region)
				if rt == rule.TriUnknown {
					rmsg = fmt.Sprintf("the kms_key_id of the replica in %s is known only after apply and refers to no KMS key in the code", region)
				}
				parts = append(parts, part{t: rt, path: rpath, at: s.AttrRange(rpath), msg: rmsg})
			}
			reportParts(p, s, parts, path)
		}
	},
}

var dataKMSPolicyOpen = &rule.Rule{
	ID:       "DATA-020",
	Title:    "KMS key policy lets everyone (*) use the key",
	Severity: rule.High,
	Service:  "KMS",
	Types:    []string{"aws_kms_key", "aws_kms_key_policy"},
	Rationale: "A key policy is the primary control over a KMS key: a statement that allows Principal \"*\" (or AWS " +
		"\"*\") without a condition limiting who (kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalAccount, " +
		"aws:PrincipalArn, aws:SourceVpce...) lets any principal of any AWS account that can reach the key use it " +
		"as the statement allows, to decrypt whatever the key protects or to lock it away. kms:ViaService alone does " +
		"not limit who: any caller of the named service in any account qualifies (AWS managed keys pair it with " +
		"kms:CallerAccount). " + iamEveryoneDoc + " AOS Edge keeps every key readable " +
		"only by the roles that need it. A key whose policy the code does not set gets the default key policy, which " +
		"delegates to IAM in the key's own account: it passes. The policy is read through eksguard's IAM model " +
		"(JSON string, jsonencode, aws_iam_policy_document, CloudFormation KeyPolicy); an aws_kms_key_policy " +
		"attached to a key is judged in place of the key.",
	Remediation: "Replace \"*\" with the principals that use the key (account root for the default IAM delegation, " +
		"named roles for use), or add kms:CallerAccount or aws:PrincipalOrgID with your account or organisation to " +
		"the statement.",
	Example: `resource "aws_kms_key_policy" "shared" {
  key_id = aws_kms_key.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "UseWithinTheOrganisation"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["kms:Decrypt", "kms:DescribeKey"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("AWS KMS: Key policies in AWS KMS", "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html"),
		awsdoc("AWS KMS: Default key policy", "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"),
		awsdoc("AWS KMS: Condition keys for AWS KMS", "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html"),
		tfdoc("aws_kms_key"), tfdoc("aws_kms_key_policy")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType("aws_kms_key", "aws_kms_key_policy") {
			if r.Type == "aws_kms_key" && len(p.Graph.Sources(r, "key_id", "aws_kms_key_policy")) > 0 {
				continue // the attached aws_kms_key_policy sets the policy and is judged
			}
			pol := iam.FromAttribute(p.Graph, r, "policy")
			if pol == nil {
				if r.Type == "aws_kms_key" {
					p.Pass(r, "") // default key policy: the account's IAM decides
				}
				continue
			}
			if pol.Unknown {
				msg := "the key policy is known only after apply"
				if r.Type == "aws_kms_key" && len(p.Graph.Targets(r, "policy")) == 0 {
					msg += "; if the code sets none, the default key policy applies and this passes"
				}
				p.UnknownAt(r, "policy", pol.Range, "%s", msg)
				continue
			}
			if pol.Invalid != "" {
				p.UnknownAt(r, "policy", pol.Range, "the key policy %s", iamInvalidMsg(pol))
				continue
			}
			public, maybe := iam.PublicGrants(pol)
			switch {
			case len(public) > 0:
				for _, st := range public {
					p.FailAt(r, "policy", dataStmtRange(pol, st), "key policy statement %s allows everyone (Principal *) %s with no condition limiting who",
						st.Label(), dataActions(st))
				}
			case len(maybe) > 0:
				for _, st := range maybe {
					p.UnknownAt(r, "policy", dataStmtRange(pol, st), "key policy statement %s may allow everyone: its effect, principal or condition is known only after apply", st.Label())
				}
			default:
				p.PassAt(r, "policy", pol.Range)
			}
		}
	},
}

func dataStmtRange(pol *iam.Policy, st *iam.Statement) graph.Range {
	if st.Range.Line > 0 {
		return st.Range
	}
	return pol.Range
}

func dataActions(st *iam.Statement) string {
	switch {
	case len(st.Action.Values) > 0:
		return "to call " + iamList(st.Action.Values, 3)
	case len(st.NotAction.Values) > 0:
		return "to call every action but " + iamList(st.NotAction.Values, 3)
	}
	return "to use the key"
}

// kmsRotatable tells whether a key can rotate automatically: only symmetric
// encryption keys whose material KMS generates in its own key store.
func kmsRotatable(k *graph.Resource) rule.Tri {
	spec, ok := rule.StringOr(k.Get("customer_master_key_spec"), "SYMMETRIC_DEFAULT")
	if ok && spec == "" {
		spec = "SYMMETRIC_DEFAULT"
	}
	if !ok {
		return rule.TriUnknown
	}
	if spec != "SYMMETRIC_DEFAULT" {
		return rule.False
	}
	origin, ok := rule.StringOr(k.Get("origin"), "AWS_KMS")
	if !ok {
		return rule.TriUnknown
	}
	if origin != "AWS_KMS" {
		return rule.False
	}
	store := k.Get("custom_key_store_id")
	if store.IsUnknown() {
		return rule.TriUnknown
	}
	if s, _ := rule.StringOr(store, ""); s != "" {
		return rule.False
	}
	return rule.True
}

var dataKMSRotation = &rule.Rule{
	ID:       "DATA-021",
	Title:    "Customer managed KMS key does not rotate its key material",
	Severity: rule.Medium,
	Service:  "KMS",
	Types:    []string{"aws_kms_key"},
	Rationale: "Automatic rotation gives a symmetric key new cryptographic material every year (or every " +
		"rotation_period_in_days) while keeping the old material to decrypt what it protected: the key ID, ARN, " +
		"aliases and policy stay, nothing is re-encrypted, and the amount of data under one material is bounded. " +
		"aws_kms_key and AWS::KMS::Key leave enable_key_rotation off unless set. AOS Edge rotates its key by " +
		"replacing the resource (terraform apply -replace) and advises against it as disruptive; automatic " +
		"rotation is the non-disruptive way. Only symmetric keys with KMS-generated material can rotate " +
		"automatically: asymmetric and HMAC keys (customer_master_key_spec other than SYMMETRIC_DEFAULT), imported " +
		"material and custom key stores get no verdict. EKS-004 judges the key of an EKS cluster's secrets " +
		"encryption, in the cluster's context; this rule judges every other key, so one key is never reported twice.",
	Remediation: "Set enable_key_rotation = true on the key (optionally rotation_period_in_days between 90 and 2560).",
	Example: `resource "aws_kms_key" "data" {
  description         = "Application data"
  enable_key_rotation = true
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("AWS KMS: Rotate AWS KMS keys", "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"),
		tfdoc("aws_kms_key")},
	Run: func(p *rule.Pass) {
		for _, k := range p.Graph.OfType("aws_kms_key") {
			if len(p.Graph.Sources(k, "encryption_config", "aws_eks_cluster")) > 0 {
				continue // EKS-004 reports this key
			}
			rotatable := kmsRotatable(k)
			if rotatable == rule.False {
				continue
			}
			off := rule.BoolOr(k.Get("enable_key_rotation"), false).Not()
			path := setPath(k, "enable_key_rotation")
			switch rule.And(rotatable, off) {
			case rule.True:
				p.Fail(k, path, "key rotation is off (enable_key_rotation is false or not set): the key material never changes")
			case rule.False:
				p.Pass(k, path)
			default:
				if off == rule.TriUnknown {
					p.Unknown(k, path, "enable_key_rotation is known only after apply")
				} else {
					p.Unknown(k, path, "rotation is off, but whether the key can rotate (its key spec, origin or key store) is known only after apply")
				}
			}
		}
	},
}

var dataEBSDefault = &rule.Rule{
	ID:       "DATA-022",
	Title:    "EBS encryption by default is turned off",
	Severity: rule.Medium,
	Service:  "EC2",
	Types:    []string{"aws_ebs_encryption_by_default"},
	Rationale: "With encryption by default on, every new EBS volume and snapshot copy in the account and region is " +
		"encrypted whatever its own settings say, which catches volumes that node templates, CSI storage classes " +
		"or tools forget to encrypt (AOS Edge encrypts EC2 volumes and snapshots with its own key). " +
		"aws_ebs_encryption_by_default with enabled = false turns the setting off; enabled defaults to true. " +
		"Without that resource the account's setting is not knowable from code, so the rule gives no verdict: the " +
		"setting belongs to the account (often a landing zone outside the scanned code), and NODE-003 and DATA-023 " +
		"already judge each volume and copy on its own encryption, passing them only when the code turns this on. " +
		"CloudFormation has no resource for this setting.",
	Remediation: "Set enabled = true (and aws_ebs_default_kms_key to a customer managed key), or remove the resource " +
		"that turns the setting off.",
	Example: `resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon EBS: Enable Amazon EBS encryption by default", "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html"),
		tfdoc("aws_ebs_encryption_by_default")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType("aws_ebs_encryption_by_default") {
			p.Report(rule.BoolOr(r.Get("enabled"), true).Not(), r, setPath(r, "enabled"),
				"EBS encryption by default is turned off (enabled = false): new volumes are unencrypted unless each asks",
				"enabled is known only after apply")
		}
	},
}

// ebsSourceEncrypted follows a snapshot or image copy back to what it copies
// and tells whether that is encrypted: a copy of an encrypted snapshot or
// image is always encrypted. Unknown when the source is not in the code.
func ebsSourceEncrypted(g *graph.Graph, r *graph.Resource, depth int) (rule.Tri, *graph.Resource) {
	if depth > 8 {
		return rule.TriUnknown, nil
	}
	all := func(srcs []*graph.Resource) (rule.Tri, *graph.Resource) {
		if len(srcs) == 0 {
			return rule.TriUnknown, nil
		}
		out, culprit := rule.True, (*graph.Resource)(nil)
		for _, s := range srcs {
			t, c := ebsSourceEncrypted(g, s, depth+1)
			if t == rule.False && culprit == nil {
				culprit = c
			}
			out = rule.And(out, t)
		}
		return out, culprit
	}
	if r.Mode == graph.Data {
		// A data source's encrypted flag is read while planning; a
		// configuration does not show it.
		if v := r.Get("encrypted"); !v.IsNull() {
			return rule.BoolOr(v, false), r
		}
		return rule.TriUnknown, nil
	}
	switch r.Type {
	case "aws_ebs_volume", "aws_ebs_snapshot_import":
		return rule.BoolOr(r.Get("encrypted"), false), r
	case "aws_ebs_snapshot":
		return all(g.Targets(r, "volume_id", "aws_ebs_volume"))
	case "aws_ebs_snapshot_copy":
		if own := rule.BoolOr(r.Get("encrypted"), false); own != rule.False {
			return own, r
		}
		return all(g.Targets(r, "source_snapshot_id", "aws_ebs_snapshot", "aws_ebs_snapshot_copy", "aws_ebs_snapshot_import"))
	case "aws_ami_copy":
		if own := rule.BoolOr(r.Get("encrypted"), false); own != rule.False {
			return own, r
		}
		return all(g.Targets(r, "source_ami_id", "aws_ami", "aws_ami_copy"))
	case "aws_ami":
		devs := r.Get("ebs_block_device").Items()
		snaps := g.Targets(r, "ebs_block_device", "aws_ebs_snapshot", "aws_ebs_snapshot_copy", "aws_ebs_snapshot_import")
		t, c := all(snaps)
		if len(snaps) < len(devs) {
			t = rule.And(t, rule.TriUnknown)
		}
		return t, c
	}
	return rule.TriUnknown, nil
}

var dataEBSCopies = &rule.Rule{
	ID:       "DATA-023",
	Title:    "EBS snapshot copy, snapshot import or AMI copy is not encrypted",
	Severity: rule.Medium,
	Service:  "EC2",
	Types:    []string{"aws_ebs_snapshot_copy", "aws_ebs_snapshot_import", "aws_ami_copy", "aws_ebs_snapshot", "aws_ebs_volume", "aws_ami", "aws_ebs_encryption_by_default"},
	Rationale: "Snapshots and images hold a full copy of the disks they come from; unencrypted, anyone they are " +
		"shared with (or made public to) can read them, and the volumes created from them start unencrypted. " +
		"encrypted defaults to false on aws_ebs_snapshot_copy, aws_ebs_snapshot_import and aws_ami_copy. A copy of " +
		"an encrypted snapshot or image is encrypted anyway, so a copy that does not ask for encryption fails only " +
		"when its source in the code (a volume, snapshot, copy or image, followed by reference) is unencrypted, and " +
		"is unknown when the source is not in the code. aws_ebs_encryption_by_default enabled in the code makes " +
		"them pass. Volumes, launch templates and instances are NODE-003's; CloudFormation has no snapshot or " +
		"image copy resource (AOS Edge encrypts EC2 snapshots with its own key).",
	Remediation: "Set encrypted = true and kms_key_id to a customer managed key on the copy or import, or turn on " +
		"aws_ebs_encryption_by_default.",
	Example: `resource "aws_ebs_snapshot_copy" "backup" {
  source_snapshot_id = aws_ebs_snapshot.data.id
  source_region      = "eu-west-1"
  encrypted          = true
  kms_key_id         = aws_kms_key.ebs.arn
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon EBS: Copy an Amazon EBS snapshot", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html"),
		awsdoc("Amazon EC2: Use encryption with EBS-backed AMIs", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AMIEncryption.html"),
		tfdoc("aws_ebs_snapshot_copy"), tfdoc("aws_ami_copy")},
	Run: func(p *rule.Pass) {
		byDefault := encryptionByDefault(p.Graph)
		for _, r := range p.Graph.OfType("aws_ebs_snapshot_copy", "aws_ebs_snapshot_import", "aws_ami_copy") {
			path := setPath(r, "encrypted")
			own := rule.BoolOr(r.Get("encrypted"), false)
			switch {
			case own == rule.True || byDefault:
				p.Pass(r, path)
				continue
			case own == rule.TriUnknown:
				p.Unknown(r, path, "encrypted is known only after apply")
				continue
			case r.Type == "aws_ebs_snapshot_import":
				p.Fail(r, path, "the imported snapshot is not encrypted (encrypted is false or not set)")
				continue
			}
			src, culprit := ebsSourceEncrypted(p.Graph, r, 0)
			switch src {
			case rule.True:
				p.Pass(r, path)
			case rule.False:
				what := "source"
				if culprit != nil {
					what = culprit.Address
				}
				p.Fail(r, path, "the copy is not encrypted: encrypted is false or not set and its source (%s) is unencrypted", what)
			default:
				p.Unknown(r, path, "encrypted is false or not set, so the copy is encrypted only if its source is, which the code does not show; set encrypted = true")
			}
		}
	},
}

// cfBehavior is one cache behavior of a distribution with its path.
type cfBehavior struct {
	v    *graph.Value
	path string // default_cache_behavior, ordered_cache_behavior.1
	base string // the attribute, as edges name it
	name string
}

func cfBehaviors(d *graph.Resource) []cfBehavior {
	var out []cfBehavior
	if v := d.Get("default_cache_behavior"); v != nil {
		out = append(out, cfBehavior{v: v, path: "default_cache_behavior", base: "default_cache_behavior", name: "the default cache behavior"})
	}
	ordered := d.Get("ordered_cache_behavior")
	items := ordered.Items()
	for i, b := range items {
		name := "ordered cache behavior " + itoa(i+1)
		if pp, ok := rule.StringOr(b.Get("path_pattern"), ""); ok && pp != "" {
			name = fmt.Sprintf("cache behavior %q", pp)
		}
		out = append(out, cfBehavior{v: b, path: indexed("ordered_cache_behavior", i, len(items)), base: "ordered_cache_behavior", name: name})
	}
	if ordered.IsUnknown() {
		out = append(out, cfBehavior{v: ordered, path: "ordered_cache_behavior", base: "ordered_cache_behavior", name: "the ordered cache behaviors"})
	}
	return out
}

// cfPrivateOrigins maps each origin id (and origin group id) of a
// distribution to whether it is an S3 origin reached through an origin
// access control or identity, i.e. private content. unknownIDs is set when
// some origin's id is known only after apply.
func cfPrivateOrigins(g *graph.Graph, d *graph.Resource) (priv map[string]rule.Tri, unknownIDs bool) {
	priv = map[string]rule.Tri{}
	for _, o := range d.Get("origin").Items() {
		id, ok := rule.StringOr(o.Get("origin_id"), "")
		if !ok || o.IsUnknown() {
			unknownIDs = true
			continue
		}
		oac := present(g, d, o.Get("origin_access_control_id"), "origin.origin_access_control_id")
		oai := present(g, d, o.Get("s3_origin_config", "origin_access_identity"), "origin.s3_origin_config.origin_access_identity")
		priv[id] = rule.Or(oac, oai)
	}
	for _, grp := range d.Get("origin_group").Items() {
		id, ok := rule.StringOr(grp.Get("origin_id"), "")
		if !ok {
			unknownIDs = true
			continue
		}
		t := rule.False
		for _, m := range grp.Get("member").Items() {
			mid, ok := rule.StringOr(m.Get("origin_id"), "")
			if mt, known := priv[mid]; ok && known {
				t = rule.Or(t, mt)
			} else {
				t = rule.Or(t, rule.TriUnknown)
			}
		}
		priv[id] = t
	}
	return priv, unknownIDs
}

// cfTargetPrivate tells whether a cache behavior serves a private origin.
func cfTargetPrivate(b *graph.Value, priv map[string]rule.Tri, unknownIDs bool) (rule.Tri, string) {
	target, ok := rule.StringOr(b.Get("target_origin_id"), "")
	if ok && !b.IsUnknown() {
		if t, found := priv[target]; found {
			return t, target
		}
		if unknownIDs {
			return rule.TriUnknown, target
		}
		return rule.False, target
	}
	out := rule.False
	for _, t := range priv {
		out = rule.Or(out, rule.And(t, rule.TriUnknown))
	}
	return out, ""
}

var dataCloudFrontSigned = &rule.Rule{
	ID:       "DATA-030",
	Title:    "CloudFront serves a private S3 origin without signed URLs or cookies",
	Severity: rule.Medium,
	Service:  "CloudFront",
	Types:    []string{"aws_cloudfront_distribution"},
	Rationale: "An S3 origin reached through an origin access control (origin_access_control_id) or identity " +
		"(s3_origin_config.origin_access_identity) is a private bucket that only CloudFront may read. A cache " +
		"behavior serving it without trusted_key_groups (or the legacy trusted_signers) answers every request, so " +
		"the bucket's content is public through the distribution's domain after all. AOS Edge serves its content " +
		"only through signed URLs shared with authenticated devices. Behaviors of other origins (load balancers, " +
		"public website buckets) are not judged. If the content behind the behavior is public by design, suppress " +
		"the finding. CloudFormation nests these settings under DistributionConfig with other names (Origins, " +
		"CacheBehaviors), which the graph does not map to Terraform's shape yet: the rule reads Terraform only.",
	Remediation: "Create an aws_cloudfront_public_key and aws_cloudfront_key_group, set trusted_key_groups on every " +
		"cache behavior that serves the private origin, and hand out signed URLs or cookies from your application.",
	Example: `resource "aws_cloudfront_distribution" "reports" {
  origin {
    origin_id                = "curated"
    domain_name              = aws_s3_bucket.curated.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.reports.id
  }
  default_cache_behavior {
    target_origin_id       = "curated"
    viewer_protocol_policy = "redirect-to-https"
    trusted_key_groups     = [aws_cloudfront_key_group.devices.id]
    # ...
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon CloudFront: Serve private content with signed URLs and signed cookies", "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PrivateContent.html"),
		awsdoc("Amazon CloudFront: Restrict access to an Amazon S3 origin", "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html"),
		tfdoc("aws_cloudfront_distribution")},
	Run: func(p *rule.Pass) {
		for _, d := range p.Graph.OfType("aws_cloudfront_distribution") {
			priv, unknownIDs := cfPrivateOrigins(p.Graph, d)
			var parts []part
			for _, b := range cfBehaviors(d) {
				private, target := cfTargetPrivate(b.v, priv, unknownIDs)
				if private == rule.False {
					continue
				}
				signed := rule.Or(
					nonEmptyList(p.Graph, d, b.v.Get("trusted_key_groups"), b.base+".trusted_key_groups"),
					nonEmptyList(p.Graph, d, b.v.Get("trusted_signers"), b.base+".trusted_signers"))
				t := rule.And(private, signed.Not())
				msg := fmt.Sprintf("%s serves the private S3 origin %q without signed URLs or cookies (no trusted_key_groups): "+
					"anyone with the URL can fetch its objects; if the content is public by design, suppress this finding", b.name, target)
				if t == rule.TriUnknown {
					msg = fmt.Sprintf("%s: whether it serves a private S3 origin or requires signed URLs (trusted_key_groups) is known only after apply", b.name)
				}
				parts = append(parts, part{t: t, path: b.path, at: d.AttrRange(b.path), msg: msg})
			}
			reportParts(p, d, parts, "")
		}
	},
}

// cfWeakTLS lists the CloudFront security policies older than TLSv1.2_2021.
var cfWeakTLS = map[string]bool{"SSLv3": true, "TLSv1": true, "TLSv1_2016": true, "TLSv1.1_2016": true,
	"TLSv1.2_2018": true, "TLSv1.2_2019": true}

func cfTLSWeak(v string) rule.Tri {
	switch {
	case cfWeakTLS[v]:
		return rule.True
	case strings.HasPrefix(v, "TLSv1.2_") || strings.HasPrefix(v, "TLSv1.3"):
		return rule.False
	}
	return rule.TriUnknown
}

var dataCloudFrontTLS = &rule.Rule{
	ID:       "DATA-031",
	Title:    "CloudFront accepts plain HTTP or TLS older than 1.2 from viewers",
	Severity: rule.Medium,
	Service:  "CloudFront",
	Types:    []string{"aws_cloudfront_distribution"},
	Rationale: "viewer_protocol_policy = \"allow-all\" on a cache behavior serves it over plain HTTP: content, " +
		"cookies and signed URLs travel readable and modifiable by anyone on the path (redirect-to-https or " +
		"https-only keep viewers on TLS). With a custom certificate (acm_certificate_arn or iam_certificate_id), " +
		"minimum_protocol_version picks the security policy; the provider default TLSv1, and every policy before " +
		"TLSv1.2_2021, let viewers negotiate TLS 1.0/1.1 or weak ciphers. AOS Edge forces encryption in transit. " +
		"With the default *.cloudfront.net certificate the security policy cannot be chosen, so only the protocol " +
		"policy is judged. One rule covers both: each behavior and the certificate setting get their own finding. " +
		"CloudFormation nests these settings under DistributionConfig with other names, which the graph does not " +
		"map to Terraform's shape yet: the rule reads Terraform only.",
	Remediation: "Set viewer_protocol_policy = \"redirect-to-https\" (or \"https-only\") on the default and every " +
		"ordered cache behavior, and viewer_certificate.minimum_protocol_version = \"TLSv1.2_2021\" or newer.",
	Example: `resource "aws_cloudfront_distribution" "site" {
  default_cache_behavior {
    viewer_protocol_policy = "redirect-to-https"
    # ...
  }
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.site.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon CloudFront: Require HTTPS for communication between viewers and CloudFront", "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html"),
		awsdoc("Amazon CloudFront: Supported protocols and ciphers between viewers and CloudFront", "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html"),
		tfdoc("aws_cloudfront_distribution")},
	Run: func(p *rule.Pass) {
		for _, d := range p.Graph.OfType("aws_cloudfront_distribution") {
			var parts []part
			for _, b := range cfBehaviors(d) {
				path := b.path
				if b.v.Get("viewer_protocol_policy") != nil {
					path += ".viewer_protocol_policy"
				}
				vpp, ok := rule.StringOr(b.v.Get("viewer_protocol_policy"), "")
				t, msg := rule.Of(vpp == "allow-all"), fmt.Sprintf("%s allows plain HTTP (viewer_protocol_policy = \"allow-all\")", b.name)
				if !ok || vpp == "" {
					t, msg = rule.TriUnknown, fmt.Sprintf("the viewer_protocol_policy of %s is known only after apply", b.name)
				}
				parts = append(parts, part{t: t, path: path, at: d.AttrRange(path), msg: msg})
			}
			vc := d.Get("viewer_certificate")
			if vc == nil {
				reportParts(p, d, parts, "")
				continue
			}
			defaultCert := rule.BoolOr(vc.Get("cloudfront_default_certificate"), false)
			custom := rule.Or(
				present(p.Graph, d, vc.Get("acm_certificate_arn"), "viewer_certificate.acm_certificate_arn"),
				present(p.Graph, d, vc.Get("iam_certificate_id"), "viewer_certificate.iam_certificate_id"))
			applies := rule.And(defaultCert.Not(), custom)
			if applies != rule.False {
				path := setPath(d, "viewer_certificate.minimum_protocol_version", "viewer_certificate")
				mpv, ok := rule.StringOr(vc.Get("minimum_protocol_version"), "TLSv1")
				weak := rule.TriUnknown
				if ok {
					weak = cfTLSWeak(mpv)
				}
				t := rule.And(applies, weak)
				msg := fmt.Sprintf("the custom certificate's security policy %s lets viewers use TLS older than 1.2 or weak ciphers (want TLSv1.2_2021 or newer)", mpv)
				if vc.Get("minimum_protocol_version").IsNull() {
					msg = "minimum_protocol_version is not set: the provider default TLSv1 lets viewers use TLS 1.0 (want TLSv1.2_2021 or newer)"
				}
				if t == rule.TriUnknown {
					msg = "the viewer certificate or its minimum_protocol_version is known only after apply"
				}
				parts = append(parts, part{t: t, path: path, at: d.AttrRange(path), msg: msg})
			}
			reportParts(p, d, parts, "")
		}
	},
}

// ecrRegistryScan is the registry-level scanning configuration in the code.
type ecrRegistryScan struct {
	res   *graph.Resource
	typ   string // BASIC, ENHANCED, "" when unknown
	rules []*graph.Value
	unk   bool // the rules are known only after apply
}

func ecrRegistryScans(g *graph.Graph) []ecrRegistryScan {
	var out []ecrRegistryScan
	for _, r := range g.OfType("aws_ecr_registry_scanning_configuration") {
		typ, _ := rule.StringOr(r.Get("scan_type"), "BASIC")
		rules := r.Get("rule")
		out = append(out, ecrRegistryScan{res: r, typ: typ, rules: rules.Items(), unk: rules.IsUnknown()})
	}
	return out
}

// ecrFilterMatch applies a registry scanning filter to a repository name:
// without a wildcard the filter matches names containing it; with one,
// * stands for any run of characters.
func ecrFilterMatch(filter, name string) bool {
	if !strings.Contains(filter, "*") {
		return strings.Contains(name, filter)
	}
	return globMatch(filter, name)
}

// scans tells whether the configuration scans the repository named name
// (unknown name: nameOK false) on push or continuously, and whether it
// decides at all (a BASIC configuration without rules leaves it to the
// repository).
func (c ecrRegistryScan) scans(name string, nameOK bool) (scanned rule.Tri, decides rule.Tri) {
	judge := func(typ string) (rule.Tri, rule.Tri) {
		if typ == "BASIC" && len(c.rules) == 0 && !c.unk {
			return rule.False, rule.False
		}
		if c.unk {
			return rule.TriUnknown, rule.True
		}
		out := rule.False
		for _, rl := range c.rules {
			freq, ok := rule.StringOr(rl.Get("scan_frequency"), "")
			if !ok {
				out = rule.Or(out, rule.TriUnknown)
				continue
			}
			if freq != "SCAN_ON_PUSH" && !(typ == "ENHANCED" && freq == "CONTINUOUS_SCAN") {
				continue
			}
			for _, f := range rl.Get("repository_filter").Items() {
				filter, ok := rule.StringOr(f.Get("filter"), "")
				switch {
				case !ok:
					out = rule.Or(out, rule.TriUnknown)
				case filter == "*" || (nameOK && ecrFilterMatch(filter, name)):
					out = rule.True
				case !nameOK:
					out = rule.Or(out, rule.TriUnknown)
				}
			}
		}
		return out, rule.True
	}
	if c.typ == "" {
		s1, d1 := judge("BASIC")
		s2, d2 := judge("ENHANCED")
		if s1 == s2 && d1 == d2 {
			return s1, d1
		}
		return rule.TriUnknown, rule.TriUnknown
	}
	return judge(c.typ)
}

var dataECRScan = &rule.Rule{
	ID:       "DATA-040",
	Title:    "ECR repository does not scan images on push",
	Severity: rule.Low,
	Service:  "ECR",
	Types:    []string{"aws_ecr_repository", "aws_ecr_registry_scanning_configuration"},
	Rationale: "Scanning each image when it is pushed reports known vulnerabilities of its OS and language packages " +
		"before the image runs in the cluster. image_scanning_configuration.scan_on_push defaults to false. A " +
		"registry scanning configuration in the code takes over: with ENHANCED scanning (Amazon Inspector) a " +
		"repository is scanned only when a SCAN_ON_PUSH or CONTINUOUS_SCAN rule's filter matches its name, whatever " +
		"scan_on_push says; with BASIC scanning and rules, only a matching SCAN_ON_PUSH filter scans it. A filter " +
		"without * matches names that contain it. The registry configuration of an account whose code is not " +
		"scanned is not knowable.",
	Remediation: "Set image_scanning_configuration { scan_on_push = true }, or better turn on enhanced scanning for " +
		"the registry with a filter that covers every repository.",
	Example: `resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "app" {
  name = "app"
  image_scanning_configuration {
    scan_on_push = true
  }
}`,
	References: []rule.Reference{RefAosEdge,
		bpg("image-security", "", "Image security"),
		cis("5.1.1", "Ensure Image Vulnerability Scanning using Amazon ECR image scanning or a third party provider"),
		awsdoc("Amazon ECR: Filters to choose which repositories are scanned", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html"),
		tfdoc("aws_ecr_repository"), tfdoc("aws_ecr_registry_scanning_configuration")},
	Run: func(p *rule.Pass) {
		regs := ecrRegistryScans(p.Graph)
		for _, r := range p.Graph.OfType("aws_ecr_repository") {
			path := setPath(r, "image_scanning_configuration.scan_on_push", "image_scanning_configuration")
			repo := rule.BoolOr(r.Get("image_scanning_configuration.scan_on_push"), false)
			// name is required in Terraform; a repository without one (a
			// name CloudFormation generates) matches filters only maybe.
			name, nameOK := rule.StringOr(r.Get("name"), "")
			nameOK = nameOK && name != ""
			scanned, decides := repo, rule.False
			var by *graph.Resource
			for _, c := range regs {
				s, d := c.scans(name, nameOK)
				if d == rule.False {
					continue
				}
				by = c.res
				if d == rule.True {
					scanned, decides = s, rule.True
				} else {
					scanned, decides = rule.TriUnknown, rule.TriUnknown
				}
				break
			}
			switch scanned {
			case rule.True:
				p.Pass(r, path)
			case rule.False:
				if decides == rule.True {
					p.Fail(r, path, "images pushed to %s are not scanned: no scanning rule of %s (%s) has a filter matching it", name, by.Address, strings.ToLower(regTypeOf(by)))
				} else {
					p.Fail(r, path, "images are not scanned on push (image_scanning_configuration.scan_on_push is false or not set)")
				}
			default:
				p.Unknown(r, path, "whether images are scanned on push is known only after apply (scan_on_push, the repository name or the registry scanning configuration)")
			}
		}
	},
}

func regTypeOf(r *graph.Resource) string {
	t, _ := rule.StringOr(r.Get("scan_type"), "")
	return t + " scanning"
}

var dataECRMutable = &rule.Rule{
	ID:       "DATA-041",
	Title:    "ECR repository allows image tags to be overwritten",
	Severity: rule.Medium,
	Service:  "ECR",
	Types:    []string{"aws_ecr_repository"},
	Rationale: "With mutable tags, anyone who may push to the repository can move a tag such as v1.4.2 to another " +
		"image: nodes pulling the tag later run code nobody reviewed or scanned, and a deployment cannot be tied to " +
		"what was tested. image_tag_mutability defaults to MUTABLE in Terraform and CloudFormation. IMMUTABLE (or " +
		"IMMUTABLE_WITH_EXCLUSION, immutable but for the excluded tags) passes.",
	Remediation: "Set image_tag_mutability = \"IMMUTABLE\" and deploy by immutable tag or digest.",
	Example: `resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}`,
	References: []rule.Reference{RefAosEdge,
		bpg("image-security", "", "Image security"),
		awsdoc("Amazon ECR: Preventing image tags from being overwritten", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html"),
		tfdoc("aws_ecr_repository")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType("aws_ecr_repository") {
			m, ok := rule.StringOr(r.Get("image_tag_mutability"), "MUTABLE")
			path := setPath(r, "image_tag_mutability")
			switch {
			case !ok:
				p.Unknown(r, path, "image_tag_mutability is known only after apply")
			case strings.HasPrefix(m, "IMMUTABLE"):
				p.Pass(r, path)
			default:
				p.Fail(r, path, "image tags can be overwritten (image_tag_mutability = %s)", m)
			}
		}
	},
}

var dataECRKMS = &rule.Rule{
	ID:       "DATA-042",
	Title:    "ECR repository is not encrypted with a customer managed KMS key",
	Severity: rule.Low,
	Service:  "ECR",
	Types:    []string{"aws_ecr_repository", "aws_kms_key", "aws_kms_alias"},
	Rationale: "ECR encrypts image layers with S3-managed AES-256 keys unless encryption_configuration asks for KMS " +
		"(encryption_type defaults to AES256); with KMS but no kms_key it uses the AWS managed key aws/ecr. Neither " +
		"gives a key policy of your own to audit or revoke. AOS Edge encrypts its data with its customer key. " +
		"encryption_type KMS or KMS_DSSE with a kms_key that refers to a key in the code, or names one, passes; " +
		"the encryption of a repository cannot be changed after creation.",
	Remediation: "Create the repository with encryption_configuration { encryption_type = \"KMS\", kms_key = " +
		"<customer managed key ARN> } (a new repository: images must be pushed again).",
	Example: `resource "aws_ecr_repository" "app" {
  name = "app"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon ECR: Encryption at rest", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html"),
		tfdoc("aws_ecr_repository")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType("aws_ecr_repository") {
			ec := r.Get("encryption_configuration")
			if ec.IsUnknown() {
				p.Unknown(r, "encryption_configuration", "encryption_configuration is known only after apply")
				continue
			}
			typ, ok := rule.StringOr(r.Get("encryption_configuration.encryption_type"), "AES256")
			path := setPath(r, "encryption_configuration.encryption_type", "encryption_configuration")
			switch {
			case !ok:
				p.Unknown(r, path, "encryption_type is known only after apply")
				continue
			case typ != "KMS" && typ != "KMS_DSSE":
				p.Fail(r, path, "images are encrypted with AES256 (S3-managed keys), not a customer managed KMS key")
				continue
			}
			kpath := setPath(r, "encryption_configuration.kms_key", "encryption_configuration.encryption_type", "encryption_configuration")
			switch customerKey(p.Graph, r, r.Get("encryption_configuration.kms_key"), "encryption_configuration.kms_key") {
			case rule.True:
				p.Pass(r, kpath)
			case rule.False:
				p.Fail(r, kpath, "encryption_type is %s without a customer key: the AWS managed key aws/ecr is used", typ)
			default:
				p.Unknown(r, kpath, "kms_key is known only after apply and refers to no KMS key in the code")
			}
		}
	},
}
