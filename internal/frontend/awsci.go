package frontend

import (
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/awsconfig"
	"github.com/eksguard/eksguard/internal/frontend/ghactions"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// awsCLICandidate tells whether a file met in a directory walk may be an
// AWS CLI config or credentials file (.aws/config, .aws/credentials, or
// those names anywhere): content decides.
func awsCLICandidate(path string) bool { return awsconfig.ConventionalName(path) }

// loadAWSConfig reads an AWS CLI config or credentials file and reports
// whether the file was dealt with. Files named config or credentials that
// hold something else (git, ssh and many tools use these names) are
// skipped silently in a walk; given explicitly, they go on to the other
// front-ends.
func (res *Result) loadAWSConfig(name string, data []byte, explicit bool) bool {
	kind, ok := awsconfig.Detect(name, data)
	if !ok {
		return !explicit && awsconfig.ConventionalName(name)
	}
	res.Files = append(res.Files, File{Path: name, Kind: KindAWSConfig})
	res.Diags = append(res.Diags, awsconfig.Load(res.Graph, data, name, kind)...)
	if res.keepDocs {
		// Load has reported any problem in the file already.
		v, _ := awsconfig.Raw(data, name)
		res.keep(name, KindAWSConfig, 0, v)
	}
	return true
}

// loadGitHubWorkflow reads a decoded YAML file as a GitHub Actions workflow
// when its content says so (top-level on and jobs) or it lies in
// .github/workflows with a jobs mapping; it reports whether it did.
func (res *Result) loadGitHubWorkflow(name string, docs []yamlpos.Document, diags diag.List) bool {
	if len(docs) != 1 {
		return false
	}
	doc := docs[0].Value
	if !ghactions.Detect(doc) && !(ghactions.IsWorkflowPath(name) && ghactions.HasJobs(doc)) {
		return false
	}
	res.Files = append(res.Files, File{Path: name, Kind: KindGitHubWorkflow})
	res.keep(name, KindGitHubWorkflow, 0, doc)
	res.Diags = append(res.Diags, diags...)
	ghactions.Load(res.Graph, doc, name)
	return true
}
