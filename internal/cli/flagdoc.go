package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// commandOrder is the order commands are named in the flag listing.
var commandOrder = []string{"scan", "baseline create", "graph", "iam paths", "iam methods", "rules", "policy test", "version", "flags"}

// flagRow is one flag as the listing shows it: flags of the same name and
// meaning in several commands are one row naming them all.
type flagRow struct {
	group, synopsis, meaning, setBy string
	commands                        []string
}

// flagRows lists every flag of every command, by group, in the order the
// commands declare them.
func flagRows() []*flagRow {
	var rows []*flagRow
	byKey := map[string]*flagRow{}
	for _, name := range commandOrder {
		c := commands[name]
		if c == nil {
			continue
		}
		c.newFlagSet(&Options{}).VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			key := f.Name + "\x00" + flagMeaning(f) + "\x00" + flagGroup(f)
			if r := byKey[key]; r != nil {
				r.commands = append(r.commands, name)
				return
			}
			r := &flagRow{group: flagGroup(f), synopsis: flagSynopsis(f), meaning: flagMeaning(f), setBy: setBy(f), commands: []string{name}}
			byKey[key] = r
			rows = append(rows, r)
		})
	}
	order := append(append([]string(nil), groupOrder...), groupGeneral)
	slices.SortStableFunc(rows, func(a, b *flagRow) int { return slices.Index(order, a.group) - slices.Index(order, b.group) })
	return rows
}

// setBy says what else sets a flag: its environment variable and its key
// in .eksguard.yaml.
func setBy(f *pflag.Flag) string {
	switch {
	case f.Name == "config":
		return "`EKSGUARD_CONFIG`"
	case !configurable(f):
		return ""
	case f.Name == "rule":
		return "`EKSGUARD_RULE`, `rules.enable`"
	case f.Name == "skip-rule":
		return "`EKSGUARD_SKIP_RULE`, `rules.disable`"
	}
	return "`" + envName(f.Name) + "`, `" + f.Name + "`"
}

// writeFlagsMarkdown writes the flag tables of the README (go generate
// ./cmd/eksguard), one per group.
func writeFlagsMarkdown(w io.Writer) {
	fmt.Fprintf(w, "<!-- Generated from the flag definitions by `go generate ./cmd/eksguard` (`eksguard flags --format markdown`); do not edit. -->\n")
	group := ""
	for _, r := range flagRows() {
		if r.group != group {
			group = r.group
			fmt.Fprintf(w, "\n#### %s flags\n\n| flag | meaning | commands | environment, configuration key |\n|---|---|---|---|\n", group)
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", r.synopsis, mdEscape(r.meaning), strings.Join(r.commands, ", "), r.setBy)
	}
}

// mdEscape keeps a table cell one cell.
func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// writeFlagsText lists the flags for a terminal.
func writeFlagsText(w io.Writer) {
	group := ""
	for _, r := range flagRows() {
		if r.group != group {
			group = r.group
			fmt.Fprintf(w, "\n%s flags:\n", group)
		}
		fmt.Fprintf(w, "  %s  [%s]\n", r.synopsis, strings.Join(r.commands, ", "))
		for _, ln := range wrap(r.meaning, 92) {
			fmt.Fprintf(w, "        %s\n", ln)
		}
		if r.setBy != "" {
			fmt.Fprintf(w, "        also: %s\n", strings.ReplaceAll(r.setBy, "`", ""))
		}
	}
}

var _ = register(&command{
	name: "flags",
	summary: "List every flag of every command: what it means, the commands that take it, and the environment variable and " +
		"configuration key that set it too (a flag wins over EKSGUARD_<FLAG>, which wins over .eksguard.yaml).",
	examples: []string{
		"eksguard flags",
		"eksguard flags --format markdown   # the README's flag tables",
	},
	exit: "0 listed; 3 usage error.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		fs.StringVarP(&o.Format, "format", "f", "text", "`format`: text or markdown")
	},
	run: func(inv *invocation) int {
		switch strings.ToLower(inv.opts.Format) {
		case "text":
			writeFlagsText(inv.env.Stdout)
		case "markdown", "md":
			writeFlagsMarkdown(inv.env.Stdout)
		default:
			return inv.fail(usagef("--format: want text or markdown, got %q", inv.opts.Format))
		}
		return ExitOK
	},
})
