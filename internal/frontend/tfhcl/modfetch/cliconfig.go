package modfetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// cliConfig is the part of Terraform's CLI configuration that module
// installation reads: per-host service overrides and API tokens.
type cliConfig struct {
	services map[string]map[string]string // host → service id → URL
	tokens   map[string]string            // host → token
}

var cliConfigSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "host", LabelNames: []string{"name"}},
		{Type: "credentials", LabelNames: []string{"host"}},
	},
}

// cliConfigPath follows Terraform: TF_CLI_CONFIG_FILE, else a per-user file
// whose name and place differ on Windows.
func (f *Fetcher) cliConfigPath() string {
	if f.CLIConfigFile != "" {
		return f.CLIConfigFile
	}
	if p := f.getenv("TF_CLI_CONFIG_FILE"); p != "" {
		return p
	}
	if runtime.GOOS == "windows" {
		if d := f.getenv("APPDATA"); d != "" {
			return filepath.Join(d, "terraform.rc")
		}
		return ""
	}
	if h := f.homeDir(); h != "" {
		return filepath.Join(h, ".terraformrc")
	}
	return ""
}

func (f *Fetcher) homeDir() string {
	if h := f.getenv("HOME"); h != "" {
		return h
	}
	if runtime.GOOS == "windows" {
		return f.getenv("USERPROFILE")
	}
	return ""
}

// credentialsJSONPath is where `terraform login` keeps tokens; Terraform
// reads it beside the CLI configuration, so a logged-in user needs nothing
// more for eksguard to reach a private registry.
func (f *Fetcher) credentialsJSONPath() string {
	if runtime.GOOS == "windows" {
		if d := f.getenv("APPDATA"); d != "" {
			return filepath.Join(d, "terraform.d", "credentials.tfrc.json")
		}
		return ""
	}
	if h := f.homeDir(); h != "" {
		return filepath.Join(h, ".terraform.d", "credentials.tfrc.json")
	}
	return ""
}

// loadCLIConfig reads the configuration once per Fetcher. A missing file is
// normal; a malformed one is an error because silently ignoring it would
// send requests without the credentials or service URLs the user set.
func (f *Fetcher) loadCLIConfig() (*cliConfig, error) {
	f.cfgOnce.Do(func() {
		f.cfg, f.cfgErr = f.readCLIConfig()
	})
	return f.cfg, f.cfgErr
}

func (f *Fetcher) readCLIConfig() (*cliConfig, error) {
	cfg := &cliConfig{services: map[string]map[string]string{}, tokens: map[string]string{}}

	// credentials.tfrc.json first so that the hand-written file wins.
	if p := f.credentialsJSONPath(); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			var doc struct {
				Credentials map[string]struct {
					Token string `json:"token"`
				} `json:"credentials"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				return nil, fmt.Errorf("reading %s: %v", p, err)
			}
			for h, c := range doc.Credentials {
				if c.Token != "" {
					cfg.tokens[normalizeHost(h)] = c.Token
				}
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: %v", p, err)
		}
	}

	p := f.cliConfigPath()
	if p == "" {
		return cfg, nil
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading CLI configuration: %v", err)
	}
	parser := hclparse.NewParser()
	var file *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(p, ".json") {
		file, diags = parser.ParseJSON(b, p)
	} else {
		file, diags = parser.ParseHCL(b, p)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("CLI configuration: %s", diags.Error())
	}
	content, _, diags := file.Body.PartialContent(cliConfigSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("CLI configuration: %s", diags.Error())
	}
	for _, b := range content.Blocks {
		host := normalizeHost(b.Labels[0])
		switch b.Type {
		case "credentials":
			attrs, diags := b.Body.JustAttributes()
			if diags.HasErrors() {
				return nil, fmt.Errorf("CLI configuration: %s", diags.Error())
			}
			a, ok := attrs["token"]
			if !ok {
				continue // other credential kinds are not for registries
			}
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
				// The diagnostics could quote the token; name only the host.
				return nil, fmt.Errorf("CLI configuration: credentials %q: token must be a string", b.Labels[0])
			}
			cfg.tokens[host] = v.AsString()
		case "host":
			attrs, diags := b.Body.JustAttributes()
			if diags.HasErrors() {
				return nil, fmt.Errorf("CLI configuration: %s", diags.Error())
			}
			a, ok := attrs["services"]
			if !ok {
				continue
			}
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				return nil, fmt.Errorf("CLI configuration: %s", diags.Error())
			}
			if !v.IsKnown() || v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
				return nil, fmt.Errorf("CLI configuration: host %q: services must be an object", b.Labels[0])
			}
			svc := map[string]string{}
			for it := v.ElementIterator(); it.Next(); {
				k, ev := it.Element()
				if ev.IsKnown() && !ev.IsNull() && ev.Type() == cty.String {
					svc[k.AsString()] = ev.AsString()
				}
			}
			cfg.services[host] = svc
		}
	}
	return cfg, nil
}

// normalizeHost lower-cases a host name; Terraform compares hosts after
// the same folding (it also applies IDNA, which ASCII names do not need).
func normalizeHost(h string) string {
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// token finds the API token for a registry host. TF_TOKEN_ variables win
// over configuration files, as in Terraform. Their names write the host's
// dots as "_" and may write its dashes as "__", since a dash is not valid in
// most shells' variable names.
func (f *Fetcher) token(host string) (string, error) {
	name := strings.ReplaceAll(host, ".", "_")
	for _, n := range []string{name, strings.ReplaceAll(name, "-", "__")} {
		if t := f.getenv("TF_TOKEN_" + n); t != "" {
			return t, nil
		}
	}
	cfg, err := f.loadCLIConfig()
	if err != nil {
		return "", err
	}
	return cfg.tokens[host], nil
}
