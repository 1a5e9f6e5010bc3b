package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/eksguard/eksguard/internal/scan"
)

// ConfigName is the configuration file eksguard looks for.
const ConfigName = ".eksguard.yaml"

// annPath marks flags whose values are paths: in a configuration file
// they are relative to the file's directory, so a file found in a parent
// directory means what it says wherever eksguard runs.
const annPath = "eksguard_path"

// markPaths marks the named flags of fs as taking paths.
func markPaths(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		if fs.Lookup(n) != nil {
			_ = fs.SetAnnotation(n, annPath, []string{"true"})
		}
	}
}

// configurable tells whether a flag may be set by the configuration file
// and the environment: the shared flags are; a command's own (--help, iam
// paths' --format, policy test's --run) and --config itself are not.
func configurable(f *pflag.Flag) bool {
	return flagGroup(f) != groupGeneral && f.Name != "config"
}

// envName is the environment variable of a flag: EKSGUARD_FAIL_ON for
// --fail-on.
func envName(flag string) string {
	return "EKSGUARD_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// Keys of .eksguard.yaml that are not flags.
const (
	keySuppressions = "suppressions"
	keyRules        = "rules"
)

// suppressionKeys are the keys of one entry of suppressions (read by
// internal/suppress); they are checked here so a typo is an error too.
var suppressionKeys = []string{"rule", "resource", "path", "reason", "owner", "expires"}

// configKeys are the keys a configuration file may hold: every
// configurable flag of every command, and the sections that are not
// flags.
func configKeys() []string {
	seen := map[string]bool{keySuppressions: true, keyRules: true}
	for _, c := range commands {
		c.newFlagSet(&Options{}).VisitAll(func(f *pflag.Flag) {
			if configurable(f) && !ruleSelectionFlag(f.Name) {
				seen[f.Name] = true
			}
		})
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ruleSelectionFlag tells the flags the configuration spells as the rules
// section rather than as keys of their own.
func ruleSelectionFlag(name string) bool { return name == "rule" || name == "skip-rule" }

// findConfig returns the configuration file that applies to a run over
// paths: .eksguard.yaml in the first PATH's directory or a parent up to
// the repository root (a directory holding .git), else in the current
// directory or a parent up to its repository root; "" when there is none.
// Outside a repository only the directory itself is looked in, so a stray
// file in a home directory does not configure every scan below it.
func findConfig(paths []string) string {
	var starts []string
	for _, p := range paths {
		if p == "-" {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			p = filepath.Dir(p)
		}
		starts = append(starts, p)
		break
	}
	starts = append(starts, ".")
	for _, s := range starts {
		for _, dir := range searchDirs(s) {
			f := filepath.Join(dir, ConfigName)
			if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
				return relToCwd(f)
			}
		}
	}
	return ""
}

// searchDirs are start and its parents up to the repository root, or
// start alone outside a repository.
func searchDirs(start string) []string {
	abs, err := filepath.Abs(start)
	if err != nil {
		return []string{start}
	}
	var dirs []string
	for d := abs; ; {
		dirs = append(dirs, d)
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return dirs
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dirs[:1]
		}
		d = parent
	}
}

// relToCwd shortens an absolute path under the working directory, for
// messages and the file:line of suppressions.
func relToCwd(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// configError is an error at a line of the configuration file.
type configError struct {
	file string
	line int
	msg  string
}

func (e configError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("%s: %s", e.file, e.msg)
}

// config is a parsed configuration file.
type config struct {
	file string
	// top maps each key to its value node and the node of the key.
	top  map[string]*yaml.Node
	keys map[string]*yaml.Node
	// rules is the rules section: rules.enable and rules.disable.
	enable     []string
	enableLine int
	disable    []scan.Disable
}

// readRules reads the rules section:
//
//	rules:
//	  enable: [EKS-*, IAM-*]        # only these run
//	  disable:
//	    - id: K8S-012
//	      reason: quotas are set by the platform's admission policy
func (c *config) readRules(n *yaml.Node) error {
	bad := func(n *yaml.Node, msg string) error {
		return configError{file: c.file, line: n.Line, msg: "rules: " + msg}
	}
	if n.Kind != yaml.MappingNode {
		return bad(n, "want enable: [ID...] and disable: [{id: ID, reason: WHY}...]")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := checkKey(c.file, k, []string{"enable", "disable"}, "rules key"); err != nil {
			return err
		}
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = v.Content
		}
		switch k.Value {
		case "enable":
			c.enableLine = k.Line
			for _, it := range items {
				if it.Kind != yaml.ScalarNode {
					return bad(it, "enable: want rule ids or globs")
				}
				c.enable = append(c.enable, it.Value)
			}
		case "disable":
			for _, it := range items {
				if it.Kind != yaml.MappingNode {
					return bad(it, "disable: want entries with id and reason (- id: K8S-012\n    reason: ...): eksguard allows no silent waiver")
				}
				d := scan.Disable{Source: fmt.Sprintf("%s:%d", c.file, it.Line)}
				for j := 0; j+1 < len(it.Content); j += 2 {
					ek, ev := it.Content[j], it.Content[j+1]
					if err := checkKey(c.file, ek, []string{"id", "reason"}, "rules.disable key"); err != nil {
						return err
					}
					if ev.Kind != yaml.ScalarNode {
						return bad(ev, "disable: "+ek.Value+": want a string")
					}
					if ek.Value == "id" {
						d.Pattern = ev.Value
					} else {
						d.Reason = ev.Value
					}
				}
				if d.Pattern == "" {
					return bad(it, "disable: an entry names no rule (id)")
				}
				if strings.TrimSpace(d.Reason) == "" {
					return bad(it, "disable: "+d.Pattern+" gives no reason: write why the rule does not apply here (eksguard allows no silent waiver)")
				}
				c.disable = append(c.disable, d)
			}
		}
	}
	return nil
}

// readConfig parses and checks a configuration file: every key must be
// known (a typo is an error naming its line and the nearest key, never
// silently ignored).
func readConfig(file string) (*config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, configError{file: file, msg: "cannot read the configuration file: " + err.Error()}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, configError{file: file, msg: "not YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	c := &config{file: file, top: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	if len(doc.Content) == 0 {
		return c, nil // an empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, configError{file: file, line: root.Line, msg: "want a mapping of keys (fail-on: high, suppressions: [...])"}
	}
	known := configKeys()
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if err := checkKey(file, k, known, "key"); err != nil {
			return nil, err
		}
		if prev := c.keys[k.Value]; prev != nil {
			return nil, configError{file: file, line: k.Line, msg: fmt.Sprintf("key %q is given twice (first at line %d)", k.Value, prev.Line)}
		}
		c.top[k.Value], c.keys[k.Value] = v, k
	}
	if r := c.top[keyRules]; r != nil {
		if err := c.readRules(r); err != nil {
			return nil, err
		}
	}
	if s := c.top[keySuppressions]; s != nil && s.Kind != yaml.ScalarNode {
		if s.Kind != yaml.SequenceNode {
			return nil, configError{file: file, line: s.Line, msg: "suppressions: want a list of entries (- rule: ID ...)"}
		}
		for _, e := range s.Content {
			if e.Kind != yaml.MappingNode {
				return nil, configError{file: file, line: e.Line, msg: "suppressions: want an entry with rule and reason"}
			}
			for i := 0; i < len(e.Content); i += 2 {
				if err := checkKey(file, e.Content[i], suppressionKeys, "suppression key"); err != nil {
					return nil, err
				}
			}
		}
	}
	return c, nil
}

// checkKey errors on a key not among known, suggesting the nearest.
func checkKey(file string, k *yaml.Node, known []string, what string) error {
	for _, w := range known {
		if k.Value == w {
			return nil
		}
	}
	msg := fmt.Sprintf("unknown %s %q", what, k.Value)
	if near := nearest(k.Value, known); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return configError{file: file, line: k.Line, msg: msg}
}

// nearest is the word of known closest to s by edit distance, or "" when
// none is close enough to be a likely typo.
func nearest(s string, known []string) string {
	best, bestD := "", 0
	for _, w := range known {
		d := levenshtein.Distance(strings.ToLower(s), w, nil)
		if best == "" || d < bestD {
			best, bestD = w, d
		}
	}
	if best == "" || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}

// apply sets the flags of fs the command line and the environment left
// unset from the file's keys. Keys of flags this command does not take
// (format for graph) are valid and ignored.
func (c *config) apply(set *pflag.FlagSet, origin map[string]string) error {
	dir := filepath.Dir(c.file)
	var err error
	set.VisitAll(func(f *pflag.Flag) {
		v := c.top[f.Name]
		if err != nil || v == nil || f.Changed || !configurable(f) {
			return
		}
		line := c.keys[f.Name].Line
		origin[f.Name] = fmt.Sprintf("at %s:%d", c.file, line)
		setTo := func(n *yaml.Node, s string) {
			if err != nil {
				return
			}
			if len(f.Annotations[annPath]) > 0 && s != "" && !filepath.IsAbs(s) {
				s = filepath.Join(dir, s)
			}
			if e := set.Set(f.Name, s); e != nil {
				err = configError{file: c.file, line: n.Line, msg: fmt.Sprintf("%s: %v", f.Name, e)}
			}
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag == "!!null" {
				return
			}
			setTo(v, v.Value)
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					err = configError{file: c.file, line: item.Line, msg: f.Name + ": want a list of values"}
					return
				}
				setTo(item, item.Value)
			}
		case yaml.MappingNode:
			// NAME: VALUE pairs read as NAME=VALUE (var, cfn-param).
			if !strings.Contains(f.Usage, "NAME=VALUE") {
				err = configError{file: c.file, line: line, msg: f.Name + ": want a value or a list of values, not a mapping"}
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				if val.Kind != yaml.ScalarNode {
					err = configError{file: c.file, line: val.Line, msg: f.Name + ": " + k.Value + ": want a value"}
					return
				}
				setTo(k, k.Value+"="+val.Value)
			}
		default:
			err = configError{file: c.file, line: line, msg: f.Name + ": want a value or a list of values"}
		}
	})
	return err
}

// applyEnv sets the flags the command line left unset from EKSGUARD_*
// variables. A list flag that may hold commas in its values (--var
// NAME=a,b) takes one value per line; the others split on commas.
func applyEnv(set *pflag.FlagSet, getenv func(string) string, origin map[string]string) error {
	var err error
	set.VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || !configurable(f) {
			return
		}
		v := getenv(envName(f.Name))
		if v == "" {
			return
		}
		origin[f.Name] = "by " + envName(f.Name)
		values := []string{v}
		if f.Value.Type() == "stringArray" {
			values = strings.FieldsFunc(v, func(r rune) bool { return r == '\n' })
		}
		for _, s := range values {
			if e := set.Set(f.Name, strings.TrimSpace(s)); e != nil {
				err = fmt.Errorf("%s: %v", envName(f.Name), e)
				return
			}
		}
	})
	return err
}
