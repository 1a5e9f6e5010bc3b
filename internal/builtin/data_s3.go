package builtin

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

// dataS3Rules check S3 buckets and their split configuration resources (public access, ACLs, policies, encryption).
var dataS3Rules = []*rule.Rule{s3PublicACL, s3PublicPolicy, s3PublicAccessBlock, s3DefaultEncryption, s3SecureTransport}

const (
	s3BucketType     = "aws_s3_bucket"
	s3BlockType      = "aws_s3_bucket_public_access_block"
	s3ACLType        = "aws_s3_bucket_acl"
	s3PolicyType     = "aws_s3_bucket_policy"
	s3SSEType        = "aws_s3_bucket_server_side_encryption_configuration"
	s3OwnershipType  = "aws_s3_bucket_ownership_controls"
	s3AccountBlock   = "aws_s3_account_public_access_block"
	s3AllUsersURI    = "http://acs.amazonaws.com/groups/global/AllUsers"
	s3AuthUsersURI   = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	s3DefaultSSEPath = "rule.apply_server_side_encryption_by_default"
)

// s3SplitTypes are the resources of AWS provider v4+ that each hold one
// part of a bucket's configuration and name the bucket in "bucket".
var s3SplitTypes = []string{s3BlockType, s3ACLType, s3PolicyType, s3SSEType, s3OwnershipType,
	"aws_s3_bucket_versioning", "aws_s3_bucket_logging"}

// s3BlockSettings are the four Block Public Access settings.
var s3BlockSettings = []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"}

// s3Bucket is a bucket with the split resources that configure it. A
// bucket declared outside the scanned code is virtual (res nil): it holds
// the split resources that name it, grouped by the name they write, and
// only they are judged, since its other settings may be declared with it.
type s3Bucket struct {
	res  *graph.Resource
	name string
	// split holds the resources known to configure this bucket, by type;
	// maybe those that configure it or another one, which the code does
	// not tell (a reference whose index is known only after apply).
	split map[string][]*graph.Resource
	maybe map[string][]*graph.Resource
}

func (b *s3Bucket) label() string {
	if b.res != nil {
		return b.res.Address
	}
	if b.name != "" {
		return fmt.Sprintf("bucket %q", b.name)
	}
	return "its bucket"
}

// s3Model is every bucket of the graph with its settings, and the
// account-level public access blocks, built once per graph.
type s3Model struct {
	buckets []*s3Bucket
	account []*graph.Resource
	// maybePolicies are bucket policies whose bucket is one of several.
	maybePolicies []*graph.Resource
	candidates    map[*graph.Resource][]*s3Bucket
}

type s3ModelKey struct{}

func s3Load(g *graph.Graph) *s3Model {
	return graph.Memo(g, s3ModelKey{}, func() *s3Model {
		m := &s3Model{account: g.OfType(s3AccountBlock), candidates: map[*graph.Resource][]*s3Bucket{}}
		byRes := map[*graph.Resource]*s3Bucket{}
		for _, r := range g.OfType(s3BucketType) {
			b := &s3Bucket{res: r, split: map[string][]*graph.Resource{}, maybe: map[string][]*graph.Resource{}}
			if n, ok := rule.StringOr(r.Get("bucket"), ""); ok {
				b.name = n
			}
			byRes[r] = b
			m.buckets = append(m.buckets, b)
		}
		virtual := map[string]*s3Bucket{}
		for _, t := range s3SplitTypes {
			for _, s := range g.OfType(t) {
				own := ownTargets(g, s, "bucket", []string{"bucket", "id"}, s3BucketType)
				switch len(own) {
				case 0:
					name, _ := rule.StringOr(s.Get("bucket"), "")
					b := virtual[name]
					if b == nil || name == "" {
						b = &s3Bucket{name: name, split: map[string][]*graph.Resource{}, maybe: map[string][]*graph.Resource{}}
						m.buckets = append(m.buckets, b)
						if name != "" {
							virtual[name] = b
						}
					}
					b.split[t] = append(b.split[t], s)
				case 1:
					b := byRes[own[0]]
					b.split[t] = append(b.split[t], s)
				default:
					for _, o := range own {
						b := byRes[o]
						b.maybe[t] = append(b.maybe[t], s)
						m.candidates[s] = append(m.candidates[s], b)
					}
					if t == s3PolicyType {
						m.maybePolicies = append(m.maybePolicies, s)
					}
				}
			}
		}
		return m
	})
}

// ownTargets returns the resources of the given types that attribute attr
// of r refers to, narrowed to r's own where the front-ends linked it to
// several: a reference written with an index known only per instance
// (aws_s3_bucket.this[each.key].id, [count.index], each.value of a
// for_each over the resource) is linked to every instance. Narrowing keeps
// in turn the targets whose name attribute (one of names) equals the value
// r writes, those declared in r's directory, and the one whose instance key
// is r's own. More than one left means the code does not tell which.
func ownTargets(g *graph.Graph, r *graph.Resource, attr string, names []string, types ...string) []*graph.Resource {
	var ts []*graph.Resource
	for _, t := range g.Targets(r, attr, types...) {
		if t.Mode == graph.Managed {
			ts = append(ts, t)
		}
	}
	if len(ts) < 2 {
		return ts
	}
	if v := r.Get(attr); v != nil && v.Kind == graph.String && v.Str != "" {
		var same, open []*graph.Resource
		for _, t := range ts {
			match, known := false, false
			for _, n := range names {
				if nv := t.Get(n); nv != nil && nv.Kind == graph.String {
					known = true
					match = match || nv.Str == v.Str
				}
			}
			switch {
			case match:
				same = append(same, t)
			case !known:
				open = append(open, t)
			}
		}
		switch {
		case len(same) > 0:
			ts = same
		case len(open) > 0:
			ts = open
		}
	}
	if len(ts) > 1 {
		dir := filepath.Dir(r.Range.File)
		var near []*graph.Resource
		for _, t := range ts {
			if filepath.Dir(t.Range.File) == dir {
				near = append(near, t)
			}
		}
		if len(near) > 0 {
			ts = near
		}
	}
	if len(ts) > 1 {
		if k := instanceKey(r); k != "" {
			var same []*graph.Resource
			for _, t := range ts {
				tk := instanceKey(t)
				if tk == "" {
					tk = moduleKey(t)
				}
				if tk == k {
					same = append(same, t)
				}
			}
			if len(same) == 1 {
				return same
			}
		}
	}
	return ts
}

// instanceKey is the count or for_each key of a resource instance as
// written in its address (["raw"], [0]), or "".
func instanceKey(r *graph.Resource) string {
	local := r.Address
	if r.ModulePath != "" {
		local = strings.TrimPrefix(local, r.ModulePath+".")
	}
	if r.Mode == graph.Data {
		local = strings.TrimPrefix(local, "data.")
	}
	rest, ok := strings.CutPrefix(local, r.Type+"."+r.Name)
	if ok && strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") {
		return rest
	}
	return ""
}

// moduleKey is the key of the innermost module instance holding r
// (module.zone["raw"] gives ["raw"]), or "".
func moduleKey(r *graph.Resource) string {
	mp := r.ModulePath
	if !strings.HasSuffix(mp, "]") {
		return ""
	}
	i := strings.LastIndex(mp, "module.")
	if i < 0 {
		return ""
	}
	if j := strings.IndexByte(mp[i:], '['); j >= 0 {
		return mp[i+j:]
	}
	return ""
}

// s3Setting is the effective value of one Block Public Access setting of a
// bucket: its own block and the account's combine, either turning it on.
type s3Setting struct {
	on   rule.Tri
	res  *graph.Resource // the block deciding it; nil when none is declared
	path string
	// account is set when the account-level block decides it.
	account bool
}

func (s s3Setting) at() graph.Range {
	if s.res == nil {
		return graph.Range{}
	}
	return s.res.AttrRange(s.path)
}

// setting reads one of the four settings; an absent one is false, as the
// provider and CloudFormation send it.
func (m *s3Model) setting(b *s3Bucket, name string) s3Setting {
	all := func(rs []*graph.Resource) s3Setting {
		out := s3Setting{on: rule.True, path: name}
		for _, r := range rs {
			v := rule.BoolOr(r.Get(name), false)
			if out.res == nil || v == rule.False || (v == rule.TriUnknown && out.on == rule.True) {
				out.res = r
			}
			out.on = rule.And(out.on, v)
		}
		return out
	}
	own := s3Setting{on: rule.False}
	switch {
	case len(b.split[s3BlockType]) > 0:
		own = all(b.split[s3BlockType])
	case len(b.maybe[s3BlockType]) > 0:
		// The bucket has this block or none.
		own = all(b.maybe[s3BlockType])
		own.on = rule.And(own.on, rule.TriUnknown)
	}
	if len(m.account) == 0 {
		return own
	}
	acct := all(m.account)
	acct.account = true
	switch {
	case own.on == rule.True:
		return own
	case acct.on == rule.True:
		return acct
	case own.on == rule.TriUnknown:
		return own
	case acct.on == rule.TriUnknown:
		return acct
	}
	return own
}

// s3Policies returns the bucket policies of b: its aws_s3_bucket_policy
// resources, else the legacy policy attribute of the bucket when it is
// written. In a plan the legacy attribute of AWS provider v4+ is computed
// (unknown) when not set, mirroring the separate resource: it is not
// counted then.
func s3Policies(g *graph.Graph, b *s3Bucket) []*graph.Resource {
	if len(b.split[s3PolicyType]) > 0 {
		return b.split[s3PolicyType]
	}
	if b.res != nil && s3Written(g, b.res, "policy") {
		return []*graph.Resource{b.res}
	}
	return nil
}

// s3Written reports whether a legacy attribute of the bucket is written in
// the code rather than computed by the provider: known, structured (Doc),
// or a reference to a policy document.
func s3Written(g *graph.Graph, r *graph.Resource, attr string) bool {
	v := r.Get(attr)
	switch {
	case v.IsNull():
		return false
	case !v.IsUnknown() || v.Doc() != nil:
		return true
	}
	return len(g.Targets(r, attr, "aws_iam_policy_document")) > 0
}

var s3PublicACL = &rule.Rule{
	ID:       "DATA-001",
	Title:    "S3 bucket is public through its ACL",
	Severity: rule.High,
	Service:  "S3",
	Types:    []string{s3BucketType, s3ACLType, s3OwnershipType, s3BlockType, s3AccountBlock},
	Rationale: "An ACL granting to the AllUsers group (canned public-read, public-read-write) lets anyone on the " +
		"internet list or read the bucket, and one granting to AuthenticatedUsers (authenticated-read) lets any AWS " +
		"account in the world do so. AOS Edge: \"all the S3 buckets should be private\". The ACL is read from " +
		"aws_s3_bucket_acl (acl or access_control_policy grants), the legacy acl and grant attributes of " +
		"aws_s3_bucket, or CloudFormation's AccessControl. ACLs then have no effect, and the bucket passes, when " +
		"its ownership controls are BucketOwnerEnforced (ACLs disabled) or when ignore_public_acls is on in its " +
		"public access block or the account's. A legacy attribute that a plan shows as known only after apply is " +
		"the provider's copy of the separate resources and is not read.",
	Remediation: "Remove the public ACL (acl = \"private\", or no aws_s3_bucket_acl at all) and disable ACLs with " +
		"aws_s3_bucket_ownership_controls object_ownership = \"BucketOwnerEnforced\"; serve public content through " +
		"CloudFront with origin access control instead.",
	Example: `resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs disabled
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon S3: Access control list (ACL) overview", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html"),
		awsdoc("Amazon S3: Controlling ownership of objects and disabling ACLs", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html"),
		awsdoc("Amazon S3: Blocking public access to your Amazon S3 storage", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"),
		tfdoc(s3ACLType), tfdoc(s3OwnershipType)},
	Run: func(p *rule.Pass) {
		m := s3Load(p.Graph)
		for _, b := range m.buckets {
			var srcs []s3ACLSource
			if b.res != nil {
				srcs = append(srcs, s3LegacyACL(b.res)...)
			}
			for _, a := range b.split[s3ACLType] {
				srcs = append(srcs, s3ACLSources(a)...)
			}
			for _, a := range b.maybe[s3ACLType] {
				for _, s := range s3ACLSources(a) {
					s.public = rule.And(s.public, rule.TriUnknown)
					s.maybe = true
					srcs = append(srcs, s)
				}
			}
			if b.res == nil && len(srcs) == 0 {
				continue
			}
			public, pick := rule.False, -1
			for i, s := range srcs {
				if s.public == rule.True || (s.public == rule.TriUnknown && public == rule.False) {
					pick = i
				}
				public = rule.Or(public, s.public)
				if public == rule.True {
					break
				}
			}
			own, ownRes, ownPath := s3Ownership(b)
			ign := m.setting(b, "ignore_public_acls")
			neutral := rule.Or(own, ign.on)
			// Where ACLs are disabled or ignored, or may be.
			var nAt graph.Range
			switch {
			case own == rule.True || (own == rule.TriUnknown && ign.on != rule.True):
				nAt = ownRes.AttrRange(ownPath)
			default:
				nAt = ign.at()
			}
			// The verdict points at the deciding ACL, else at the bucket's
			// own ACL, else at the bucket.
			res, path := b.res, ""
			if pick >= 0 && !srcs[pick].maybe {
				res, path = srcs[pick].res, srcs[pick].path
			} else {
				for _, s := range srcs {
					if !s.maybe {
						res, path = s.res, s.path
						break
					}
				}
			}
			switch rule.And(public, neutral.Not()) {
			case rule.True:
				p.Fail(res, path, "%s makes %s public: %s; ACLs are not disabled (no BucketOwnerEnforced ownership) and "+
					"ignore_public_acls is not on in a public access block", srcs[pick].what, b.label(), srcs[pick].who)
			case rule.False:
				if public == rule.False {
					p.Pass(res, path)
				} else {
					p.PassAt(res, path, nAt)
				}
			default:
				switch {
				case public == rule.TriUnknown && srcs[pick].maybe:
					what := "its ACL is known only after apply"
					if srcs[pick].who != "" {
						what = "it is public: " + srcs[pick].who
					}
					p.Unknown(res, path, "%s may set the ACL of %s or of another bucket (its bucket is known only after "+
						"apply); %s", srcs[pick].res.Address, b.label(), what)
				case public == rule.TriUnknown:
					p.Unknown(res, path, "the ACL of %s is known only after apply", b.label())
				default:
					p.UnknownAt(res, path, nAt, "%s makes %s public (%s) unless ACLs are disabled or ignored, which is known "+
						"only after apply", srcs[pick].what, b.label(), srcs[pick].who)
				}
			}
		}
	},
}

// s3ACLSource is one place that sets (part of) a bucket's ACL.
type s3ACLSource struct {
	res    *graph.Resource
	path   string
	public rule.Tri
	what   string // "acl = \"public-read\" of aws_s3_bucket_acl.x"
	who    string // whom it opens the bucket to, "" when no one
	maybe  bool
}

// s3CannedWho says whom a canned ACL opens the bucket to, "" when no one
// outside the account.
func s3CannedWho(acl string) string {
	switch acl {
	case "public-read":
		return "anyone on the internet can list it"
	case "public-read-write":
		return "anyone on the internet can list and write it"
	case "authenticated-read":
		return "any AWS account can list it"
	}
	return ""
}

func s3GranteeWho(uri string) string {
	switch uri {
	case s3AllUsersURI:
		return "it grants to AllUsers, anyone on the internet"
	case s3AuthUsersURI:
		return "it grants to AuthenticatedUsers, any AWS account"
	}
	return ""
}

// s3Canned judges a canned ACL value.
func s3Canned(r *graph.Resource, path string) (s3ACLSource, bool) {
	v := r.Get(path)
	if v.IsNull() {
		return s3ACLSource{}, false
	}
	s := s3ACLSource{res: r, path: path, what: path + " of " + r.Address}
	acl, ok := rule.StringOr(v, "")
	if !ok {
		s.public = rule.TriUnknown
		return s, true
	}
	s.what = fmt.Sprintf("%s = %q of %s", path, acl, r.Address)
	if s.who = s3CannedWho(acl); s.who != "" {
		s.public = rule.True
	}
	return s, true
}

// s3Grants judges grant blocks: their grantee is in the block itself
// (legacy aws_s3_bucket grant) or in a grantee block.
func s3Grants(r *graph.Resource, path string, grantee string) []s3ACLSource {
	v := r.Get(path)
	if v.IsUnknown() {
		return []s3ACLSource{{res: r, path: path, public: rule.TriUnknown, what: path + " of " + r.Address}}
	}
	items := v.Items()
	var out []s3ACLSource
	for i, gr := range items {
		p := path
		if len(items) > 1 {
			p = fmt.Sprintf("%s.%d", path, i)
		}
		who := gr
		if grantee != "" {
			who = gr.Get(grantee)
		}
		s := s3ACLSource{res: r, path: p, what: "a grant of " + r.Address}
		uri := who.Get("uri")
		uriPath := p + "." + strings.TrimPrefix(grantee+".uri", ".")
		switch {
		case who.IsUnknown():
			s.public = rule.TriUnknown
		case uri.IsUnknown():
			s.public, s.path = rule.TriUnknown, uriPath
		case uri != nil && uri.Kind == graph.String:
			if s.who = s3GranteeWho(uri.Str); s.who != "" {
				s.public, s.path = rule.True, uriPath
			}
		}
		out = append(out, s)
	}
	return out
}

func s3LegacyACL(b *graph.Resource) []s3ACLSource {
	var out []s3ACLSource
	// Unknown legacy attributes are the provider's computed copy of the
	// separate resources (see the rationale).
	if v := b.Get("acl"); v != nil && !v.IsUnknown() {
		if s, ok := s3Canned(b, "acl"); ok {
			out = append(out, s)
		}
	}
	if v := b.Get("grant"); v != nil && !v.IsUnknown() {
		out = append(out, s3Grants(b, "grant", "")...)
	}
	return out
}

func s3ACLSources(a *graph.Resource) []s3ACLSource {
	var out []s3ACLSource
	if s, ok := s3Canned(a, "acl"); ok {
		out = append(out, s)
	}
	// With a canned acl, the plan shows access_control_policy as known
	// only after apply: the provider's rendering of that ACL.
	if acp := a.Get("access_control_policy"); acp.IsUnknown() && len(out) == 0 {
		out = append(out, s3ACLSource{res: a, path: "access_control_policy", public: rule.TriUnknown,
			what: "access_control_policy of " + a.Address})
	} else if !acp.IsNull() && !acp.IsUnknown() {
		out = append(out, s3Grants(a, "access_control_policy.grant", "grantee")...)
	}
	if len(out) == 0 {
		out = append(out, s3ACLSource{res: a, path: "acl", what: a.Address})
	}
	return out
}

// s3Ownership reads whether ACLs are disabled (BucketOwnerEnforced).
func s3Ownership(b *s3Bucket) (rule.Tri, *graph.Resource, string) {
	judge := func(r *graph.Resource) (rule.Tri, string) {
		rules := r.Get("rule")
		if rules.IsUnknown() {
			return rule.TriUnknown, "rule"
		}
		out, path := rule.False, "rule.object_ownership"
		for _, ru := range rules.Items() {
			o, ok := rule.StringOr(ru.Get("object_ownership"), "")
			switch {
			case !ok:
				out = rule.Or(out, rule.TriUnknown)
			case o == "BucketOwnerEnforced":
				out = rule.True
			}
		}
		return out, path
	}
	for _, r := range b.split[s3OwnershipType] {
		t, path := judge(r)
		return t, r, path
	}
	for _, r := range b.maybe[s3OwnershipType] {
		t, path := judge(r)
		return rule.And(t, rule.TriUnknown), r, path
	}
	return rule.False, nil, ""
}

var s3PublicPolicy = &rule.Rule{
	ID:       "DATA-002",
	Title:    "S3 bucket policy grants access to everyone",
	Severity: rule.High,
	Service:  "S3",
	Types:    []string{s3PolicyType, s3BucketType, s3BlockType, s3AccountBlock},
	Rationale: "A bucket policy statement that allows Principal \"*\" (or {\"AWS\": \"*\"}) without a condition " +
		"limiting who (aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount, " +
		"aws:SourceIp and the like) opens the bucket to anyone on the internet. AOS Edge: \"all the S3 buckets should " +
		"be private\"; CloudFront reaches them through signed URLs, not a public policy. " + iamEveryoneDoc + " The policy is read through " +
		"eksguard's IAM model from aws_s3_bucket_policy, the legacy policy attribute of aws_s3_bucket, or " +
		"AWS::S3::BucketPolicy. restrict_public_buckets on in the bucket's or the account's public access block " +
		"limits such a policy to the bucket owner's account and AWS services: the bucket then passes.",
	Remediation: "Grant to the principals that need the bucket (roles, the CloudFront service principal with an " +
		"aws:SourceArn condition naming the distribution), or add a condition such as aws:SourceVpce or " +
		"aws:PrincipalOrgID to the statement; turn on restrict_public_buckets.",
	Example: `data "aws_iam_policy_document" "data" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudfront_distribution.data.arn]
    }
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon S3: The meaning of \"public\"", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status"),
		awsdoc("IAM: AWS global condition context keys", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"),
		tfdoc(s3PolicyType)},
	Run: func(p *rule.Pass) {
		m := s3Load(p.Graph)
		judge := func(r *graph.Resource, bucket string, restrict s3Setting) {
			pol := iam.FromAttribute(p.Graph, r, "policy")
			if pol == nil {
				return
			}
			if pol.Unknown {
				p.Unknown(r, "policy", "the bucket policy of %s is known only after apply", bucket)
				return
			}
			if pol.Invalid != "" {
				p.UnknownAt(r, "policy", pol.Range, "the bucket policy of %s %s", bucket, iamInvalidMsg(pol))
				return
			}
			public, maybe := iam.PublicGrants(pol)
			exposed, st := rule.False, (*iam.Statement)(nil)
			switch {
			case len(public) > 0:
				exposed, st = rule.True, public[0]
			case len(maybe) > 0:
				exposed, st = rule.TriUnknown, maybe[0]
			}
			switch rule.And(exposed, restrict.on.Not()) {
			case rule.True:
				p.FailAt(r, "policy", st.Range, "statement %s of the bucket policy of %s allows everyone (Principal *) with no "+
					"condition limiting who%s, and restrict_public_buckets is not on", st.Label(), bucket, dataPolicyMore(len(public)))
			case rule.False:
				if exposed == rule.False {
					p.Pass(r, "policy")
				} else {
					p.PassAt(r, "policy", restrict.at())
				}
			default:
				if exposed == rule.TriUnknown {
					p.UnknownAt(r, "policy", st.Range, "statement %s of the bucket policy of %s may allow everyone: its "+
						"principal or condition is known only after apply", st.Label(), bucket)
				} else {
					p.UnknownAt(r, "policy", st.Range, "statement %s of the bucket policy of %s allows everyone; whether "+
						"restrict_public_buckets limits it is known only after apply", st.Label(), bucket)
				}
			}
		}
		for _, b := range m.buckets {
			restrict := m.setting(b, "restrict_public_buckets")
			for _, r := range s3Policies(p.Graph, b) {
				judge(r, b.label(), restrict)
			}
		}
		for _, r := range m.maybePolicies {
			// The policy is judged once, whichever bucket it is for:
			// restrict_public_buckets counts when every candidate has it
			// on, and is unknown when only some do.
			cands := m.candidates[r]
			restrict := m.setting(cands[0], "restrict_public_buckets")
			var names []string
			for _, c := range cands {
				names = append(names, c.res.Address)
				if s := m.setting(c, "restrict_public_buckets"); s.on != restrict.on {
					restrict.on = rule.TriUnknown
				}
			}
			judge(r, "one of "+strings.Join(names, ", "), restrict)
		}
	},
}

var s3PublicAccessBlock = &rule.Rule{
	ID:       "DATA-003",
	Title:    "S3 bucket has no effective public access block",
	Severity: rule.High,
	Service:  "S3",
	Types:    []string{s3BucketType, s3BlockType, s3AccountBlock},
	Rationale: "S3 Block Public Access is the guard rail that keeps a bucket private whatever a later ACL or policy " +
		"says (AOS Edge: \"all the S3 buckets should be private\"). All four settings must be on: block_public_acls, " +
		"ignore_public_acls, block_public_policy and restrict_public_buckets. Each defaults to false when left out of " +
		"aws_s3_bucket_public_access_block (and of CloudFormation's PublicAccessBlockConfiguration). A setting is on " +
		"when the bucket's own block or the account-level aws_s3_account_public_access_block turns it on; an " +
		"account-level block with all four on makes every bucket pass, and the pass points at it. A bucket with no " +
		"block in the code fails: AWS turns the four settings on for buckets created since April 2023, but nothing " +
		"in the code keeps them on for older or imported buckets or after a console change.",
	Remediation: "Add an aws_s3_bucket_public_access_block for the bucket with the four settings true, or one " +
		"aws_s3_account_public_access_block for the account.",
	Example: `resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon S3: Blocking public access to your Amazon S3 storage", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"),
		awsdoc("AWS News Blog: Amazon S3 security changes in April 2023", "https://aws.amazon.com/blogs/aws/heads-up-amazon-s3-security-changes-are-coming-in-april-of-2023/"),
		tfdoc(s3BlockType), tfdoc(s3AccountBlock)},
	Run: func(p *rule.Pass) {
		m := s3Load(p.Graph)
		for _, b := range m.buckets {
			blocks := b.split[s3BlockType]
			if b.res == nil && len(blocks) == 0 {
				continue
			}
			res := b.res
			if len(blocks) > 0 {
				res = blocks[0]
			}
			var off, unknown []string
			var offAt, unknownAt *s3Setting
			fromAccount := false
			for _, n := range s3BlockSettings {
				s := m.setting(b, n)
				switch s.on {
				case rule.False:
					// Point at a setting written false where there is one.
					if offAt == nil || (offAt.res != nil && offAt.res.Get(offAt.path) == nil && s.res != nil && s.res.Get(n) != nil) {
						offAt = &s
					}
					off = append(off, n)
				case rule.TriUnknown:
					if unknownAt == nil {
						unknownAt = &s
					}
					unknown = append(unknown, n)
				default:
					fromAccount = fromAccount || s.account
				}
			}
			acct := ""
			if len(m.account) > 0 {
				acct = "; the account-level public access block does not turn them on either"
			}
			switch {
			case len(off) > 0 && len(blocks) == 0:
				if maybe := b.maybe[s3BlockType]; len(maybe) > 0 {
					which := maybe[0]
					if offAt.res != nil && offAt.res.Type == s3BlockType {
						which = offAt.res
					}
					p.Fail(res, "", "%s has no public access block of its own, and %s, which may be its, leaves %s off%s",
						b.label(), which.Address, strings.Join(off, ", "), acct)
					continue
				}
				p.Fail(res, "", "%s has no aws_s3_bucket_public_access_block, so %s stay off%s: AWS turns them on "+
					"for buckets created since April 2023, but nothing in the code keeps them on", b.label(), strings.Join(off, ", "), acct)
			case len(off) > 0:
				p.Fail(offAt.res, offAt.path, "the public access block of %s leaves %s off (false or not set: each defaults to false)%s",
					b.label(), strings.Join(off, ", "), acct)
			case len(unknown) > 0 && len(blocks) == 0 && !unknownAt.account:
				p.Unknown(res, "", "%s may have no public access block of its own: %s names its bucket only after apply",
					b.label(), unknownAt.res.Address)
			case len(unknown) > 0:
				p.UnknownAt(res, unknownAt.path, unknownAt.at(), "%s of the public access block of %s is known only after apply",
					strings.Join(unknown, ", "), b.label())
			case fromAccount:
				p.PassAt(res, "", m.account[0].Range)
			default:
				p.Pass(res, "")
			}
		}
	},
}

var s3DefaultEncryption = &rule.Rule{
	ID:       "DATA-004",
	Title:    "S3 bucket default encryption does not use a customer managed KMS key",
	Severity: rule.Medium,
	Service:  "S3",
	Types:    []string{s3BucketType, s3SSEType},
	Rationale: "AOS Edge encrypts every resource, S3 objects included, with the customer KMS key of the project: " +
		"whoever reads the objects then also needs kms:Decrypt on that key, whose policy the team controls and whose " +
		"use CloudTrail logs. A bucket without aws_s3_bucket_server_side_encryption_configuration (or CloudFormation " +
		"BucketEncryption) gets SSE-S3, AES256 with keys AWS owns, by default since January 2023, as does " +
		"sse_algorithm = \"AES256\"; aws:kms without kms_master_key_id uses the AWS managed key aws/s3, whose policy " +
		"cannot be changed. aws:kms or aws:kms:dsse with a customer key (a key declared in the code, or an ARN, id or " +
		"alias outside alias/aws/) passes.",
	Remediation: "Set the bucket's default encryption to sse_algorithm = \"aws:kms\" with kms_master_key_id set to a " +
		"customer managed key (with rotation on), and bucket_key_enabled = true to cut KMS request costs.",
	Example: `resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
    bucket_key_enabled = true
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon S3: Setting default server-side encryption behavior for Amazon S3 buckets", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html"),
		awsdoc("Amazon S3: Default encryption FAQ", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html"),
		tfdoc(s3SSEType)},
	Run: func(p *rule.Pass) {
		m := s3Load(p.Graph)
		for _, b := range m.buckets {
			type cfg struct {
				res    *graph.Resource
				prefix string
			}
			var cfgs []cfg
			for _, r := range b.split[s3SSEType] {
				cfgs = append(cfgs, cfg{r, ""})
			}
			if len(cfgs) == 0 && b.res != nil {
				// Legacy inline block (provider v3); unknown in a plan of
				// v4+ when not set, as the copy of the separate resource.
				if v := b.res.Get("server_side_encryption_configuration"); v != nil && !v.IsUnknown() && len(v.Items()) > 0 {
					cfgs = append(cfgs, cfg{b.res, "server_side_encryption_configuration."})
				}
			}
			if len(cfgs) == 0 {
				if b.res == nil {
					continue
				}
				if maybe := b.maybe[s3SSEType]; len(maybe) > 0 {
					v := s3JudgeSSE(p.Graph, maybe[0], "")
					if v.ok == rule.False {
						p.Fail(b.res, "", "%s has no default encryption of its own, and %s, which may be its, %s",
							b.label(), maybe[0].Address, v.msg)
					} else {
						p.Unknown(b.res, "", "%s may set the default encryption of %s or of another bucket: its bucket is "+
							"known only after apply", maybe[0].Address, b.label())
					}
					continue
				}
				p.Fail(b.res, "", "%s has no default encryption configuration: S3 encrypts its objects with SSE-S3 "+
					"(AES256, keys AWS owns) by default, not with a customer managed KMS key", b.label())
				continue
			}
			for _, c := range cfgs {
				v := s3JudgeSSE(p.Graph, c.res, c.prefix)
				switch v.ok {
				case rule.True:
					p.Pass(c.res, v.path)
				case rule.False:
					p.Fail(c.res, v.path, "the default encryption of %s %s", b.label(), v.msg)
				default:
					p.Unknown(c.res, v.path, "the default encryption of %s: %s", b.label(), v.msg)
				}
			}
		}
	},
}

type s3SSEVerdict struct {
	ok   rule.Tri
	path string
	msg  string
}

// s3JudgeSSE judges a server-side encryption configuration (the separate
// resource, or the legacy block under prefix).
func s3JudgeSSE(g *graph.Graph, r *graph.Resource, prefix string) s3SSEVerdict {
	rules := r.Get(prefix + "rule")
	if rules.IsUnknown() {
		return s3SSEVerdict{rule.TriUnknown, prefix + "rule", "its rule is known only after apply"}
	}
	items := rules.Items()
	var out *s3SSEVerdict
	for i, ru := range items {
		base := prefix + "rule"
		if len(items) > 1 {
			base = fmt.Sprintf("%s.%d", base, i)
		}
		base += ".apply_server_side_encryption_by_default"
		d := ru.Get("apply_server_side_encryption_by_default")
		if d.IsNull() || (d.Kind == graph.List && len(d.List) == 0) {
			continue
		}
		v := s3JudgeDefault(g, r, base, d)
		if out == nil || v.ok == rule.False || (v.ok == rule.TriUnknown && out.ok == rule.True) {
			out = &v
		}
	}
	if out == nil {
		return s3SSEVerdict{rule.False, prefix + "rule", "sets no apply_server_side_encryption_by_default: S3 uses SSE-S3 " +
			"(AES256, keys AWS owns)"}
	}
	return *out
}

func s3JudgeDefault(g *graph.Graph, r *graph.Resource, base string, d *graph.Value) s3SSEVerdict {
	algPath, keyPath := base+".sse_algorithm", base+".kms_master_key_id"
	if d.IsUnknown() {
		return s3SSEVerdict{rule.TriUnknown, base, "apply_server_side_encryption_by_default is known only after apply"}
	}
	alg, ok := rule.StringOr(d.Get("sse_algorithm"), "")
	switch {
	case !ok:
		return s3SSEVerdict{rule.TriUnknown, algPath, "sse_algorithm is known only after apply"}
	case alg == "AES256":
		return s3SSEVerdict{rule.False, algPath, "is SSE-S3 (sse_algorithm = \"AES256\", keys AWS owns), not a customer managed KMS key"}
	case alg != "aws:kms" && alg != "aws:kms:dsse":
		return s3SSEVerdict{rule.False, algPath, fmt.Sprintf("uses sse_algorithm = %q, not aws:kms with a customer managed key", alg)}
	}
	key := d.Get("kms_master_key_id")
	// A key looked up by a data source names an AWS managed key by its
	// alias (alias/aws/s3), whatever ARN the plan resolved it to.
	customer := rule.False
	for _, t := range g.Targets(r, keyPath) {
		switch {
		case t.Mode == graph.Managed && strings.HasPrefix(t.Type, "aws_kms_"):
			customer = rule.True
		case t.Mode == graph.Data && (t.Type == "aws_kms_alias" || t.Type == "aws_kms_key"):
			attr := "name"
			if t.Type == "aws_kms_key" {
				attr = "key_id"
			}
			n, ok := rule.StringOr(t.Get(attr), "")
			switch {
			case !ok || n == "":
				customer = rule.Or(customer, rule.TriUnknown)
			case s3AWSManagedKey(n):
				return s3SSEVerdict{rule.False, keyPath, fmt.Sprintf("uses the AWS managed key %s (%s), not a customer managed key", n, t.Address)}
			default:
				customer = rule.True
			}
		}
	}
	switch {
	case key.IsNull() || (key.Kind == graph.String && key.Str == ""):
		return s3SSEVerdict{rule.False, algPath, fmt.Sprintf("is %s without kms_master_key_id: the AWS managed key aws/s3, "+
			"not a customer managed key", alg)}
	case key.Kind == graph.String:
		if s3AWSManagedKey(key.Str) {
			return s3SSEVerdict{rule.False, keyPath, fmt.Sprintf("uses the AWS managed key %s, not a customer managed key", key.Str)}
		}
		return s3SSEVerdict{rule.True, keyPath, ""}
	case key.IsUnknown() && customer == rule.True:
		return s3SSEVerdict{rule.True, keyPath, ""}
	}
	return s3SSEVerdict{rule.TriUnknown, keyPath, "kms_master_key_id is known only after apply and names no key declared in the code"}
}

// s3AWSManagedKey reports whether a key id, ARN or alias names an AWS
// managed key (alias/aws/s3).
func s3AWSManagedKey(s string) bool {
	return strings.HasPrefix(s, "alias/aws/") || strings.Contains(s, ":alias/aws/")
}

var s3SecureTransport = &rule.Rule{
	ID:       "DATA-005",
	Title:    "S3 bucket policy does not deny requests without TLS",
	Severity: rule.Medium,
	Service:  "S3",
	Types:    []string{s3BucketType, s3PolicyType},
	Rationale: "S3 answers plain HTTP requests unless the bucket policy denies them. AOS Edge: \"in transit " +
		"encryption it is forced for S3 communication\". The policy, read through eksguard's IAM model, must have a " +
		"Deny statement for every principal (\"*\") and every S3 action (s3:* or *) on the bucket's objects with the " +
		"condition Bool aws:SecureTransport = false and no other condition narrowing it. A bucket with no bucket " +
		"policy fails. A Resource known only after apply (the bucket's ARN) is taken as the bucket's; a Resource " +
		"naming only the bucket, not its objects (/*), does not count. A bucket policy that cannot be read (not " +
		"JSON) is unknown, not a failure: IAM-006 reports it.",
	Remediation: "Add a statement denying s3:* to Principal \"*\" on the bucket and its objects when " +
		"aws:SecureTransport is false.",
	Example: `resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Amazon S3: Security best practices (enforce encryption of data in transit)", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html"),
		awsdoc("AWS re:Post: Which S3 bucket policy should I use to comply with the AWS Config rule s3-bucket-ssl-requests-only?", "https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule"),
		tfdoc(s3PolicyType)},
	Run: func(p *rule.Pass) {
		m := s3Load(p.Graph)
		for _, b := range m.buckets {
			pols := s3Policies(p.Graph, b)
			if len(pols) == 0 {
				if b.res == nil {
					continue
				}
				if maybe := b.maybe[s3PolicyType]; len(maybe) > 0 {
					if t, _, _ := s3TLSDeny(p.Graph, maybe[0]); t == rule.False {
						p.Fail(b.res, "", "%s has no bucket policy of its own, and %s, which may be its, does not deny "+
							"requests without TLS", b.label(), maybe[0].Address)
					} else {
						p.Unknown(b.res, "", "%s may be the bucket policy of %s or of another bucket: its bucket is known "+
							"only after apply", maybe[0].Address, b.label())
					}
					continue
				}
				p.Fail(b.res, "", "%s has no bucket policy, so nothing denies requests without TLS (aws:SecureTransport = false)", b.label())
				continue
			}
			for _, r := range pols {
				t, st, pol := s3TLSDeny(p.Graph, r)
				switch {
				case t == rule.True:
					p.PassAt(r, "policy", st.Range)
				case t == rule.False:
					at := graph.Range{}
					if pol != nil {
						at = pol.Range
					}
					p.FailAt(r, "policy", at, "the bucket policy of %s has no statement denying s3:* to Principal \"*\" when "+
						"aws:SecureTransport is false", b.label())
				case st != nil:
					p.UnknownAt(r, "policy", st.Range, "statement %s of the bucket policy of %s may deny requests without "+
						"TLS: part of it is known only after apply", st.Label(), b.label())
				case pol != nil && pol.Invalid != "":
					p.UnknownAt(r, "policy", pol.Range, "the bucket policy of %s %s", b.label(), iamInvalidMsg(pol))
				default:
					p.Unknown(r, "policy", "the bucket policy of %s is known only after apply", b.label())
				}
			}
		}
	},
}

// s3TLSDeny looks for the statement denying requests without TLS in the
// policy held by r.
func s3TLSDeny(g *graph.Graph, r *graph.Resource) (rule.Tri, *iam.Statement, *iam.Policy) {
	pol := iam.FromAttribute(g, r, "policy")
	if pol == nil {
		return rule.False, nil, nil
	}
	if pol.Unknown || pol.Invalid != "" {
		return rule.TriUnknown, nil, pol
	}
	out, at := rule.False, (*iam.Statement)(nil)
	for _, st := range pol.Statements {
		t := rule.And(s3DenyEffect(st), s3EveryPrincipal(st), s3AllActions(st), s3ObjectsCovered(st), s3InsecureOnly(st))
		switch t {
		case rule.True:
			return t, st, pol
		case rule.TriUnknown:
			if out == rule.False {
				out, at = t, st
			}
		}
	}
	return out, at, pol
}

func s3DenyEffect(st *iam.Statement) rule.Tri {
	if st.EffectUnknown {
		return rule.TriUnknown
	}
	return rule.Of(st.Effect == iam.Deny)
}

func s3EveryPrincipal(st *iam.Statement) rule.Tri {
	switch {
	case st.NotPrincipal.Present():
		return rule.False
	case st.Principal.Any:
		return rule.True
	case st.Principal.Unknown || st.Principal.ByKind.Get("AWS").MaybeAny():
		return rule.TriUnknown
	}
	return rule.False
}

func s3AllActions(st *iam.Statement) rule.Tri {
	if st.NotAction.Present() {
		return rule.False
	}
	for _, a := range st.Action.Values {
		if a == "*" || strings.EqualFold(a, "s3:*") {
			return rule.True
		}
	}
	if st.Action.Unknown {
		return rule.TriUnknown
	}
	return rule.False
}

// s3ObjectsCovered: the deny must reach the objects (arn:...:bucket/*); a
// Resource known only after apply is taken as the bucket's own ARNs.
func s3ObjectsCovered(st *iam.Statement) rule.Tri {
	if st.NotResource.Present() {
		return rule.False
	}
	if st.Resource.Unknown {
		return rule.True
	}
	for _, r := range st.Resource.Values {
		if strings.HasSuffix(r, "*") {
			return rule.True
		}
	}
	return rule.False
}

// s3InsecureOnly: the statement's only condition is Bool (or
// BoolIfExists) aws:SecureTransport = false.
func s3InsecureOnly(st *iam.Statement) rule.Tri {
	if st.ConditionUnknown {
		return rule.TriUnknown
	}
	out := rule.False
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Key, "aws:SecureTransport") || !strings.EqualFold(c.BaseOperator(), "Bool") ||
			strings.Contains(c.Operator, ":") {
			return rule.False // another condition narrows the deny
		}
		for _, v := range c.Values.Values {
			if strings.EqualFold(v, "false") {
				out = rule.True
			}
		}
		if out == rule.False && c.Values.Unknown {
			out = rule.TriUnknown
		}
	}
	return out
}
