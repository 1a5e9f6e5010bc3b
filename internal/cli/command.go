package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// command is one subcommand: its flags, its help and what it runs.
type command struct {
	// name is how it is invoked after "eksguard" ("baseline create").
	name string
	// args names the positional arguments in the usage line.
	args     string
	summary  string
	examples []string
	// exit explains the exit statuses.
	exit  string
	flags func(fs *pflag.FlagSet, o *Options)
	run   func(inv *invocation) int
}

// invocation is one run of a command: its parsed options and arguments.
type invocation struct {
	cmd  *command
	env  Env
	opts *Options
	fs   *pflag.FlagSet
	args []string
	// origin says where a flag not given on the command line was set:
	// "by EKSGUARD_FAIL_ON", "at .eksguard.yaml:3".
	origin map[string]string
	// cfg is the configuration file read, nil when none.
	cfg *config
}

// errf prints a message prefixed with the command's name on stderr.
func (inv *invocation) errf(format string, args ...any) {
	fmt.Fprintf(inv.env.Stderr, "eksguard %s: %s\n", inv.cmd.name, fmt.Sprintf(format, args...))
}

// fail reports err and returns its exit status: 3 for a usage error. An
// error about a flag's value set by the environment or the configuration
// file says where it was set, since the command line shows no such flag.
func (inv *invocation) fail(err error) int {
	msg := err.Error()
	if strings.HasPrefix(msg, "--") {
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "--"), ":")
		if at := inv.origin[name]; at != "" {
			msg += " (set " + at + ")"
		}
	}
	inv.errf("%s", msg)
	return ExitUsage
}

// newFlagSet is the command's flag set, bound to o.
func (c *command) newFlagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SortFlags = false
	// Help and parse errors are printed by parse, on the right stream.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if c.flags != nil {
		c.flags(fs, o)
	}
	markPaths(fs, "var-file", "tf-dir", "policy", "baseline", "module-cache", "output")
	fs.BoolP("help", "h", false, "show this help")
	return fs
}

// execute parses args and runs the command.
func (c *command) execute(args []string, env Env) int {
	o := &Options{}
	fs := c.newFlagSet(o)
	err := fs.Parse(gnuArgs(fs, args))
	if errors.Is(err, pflag.ErrHelp) || (err == nil && helpAsked(fs)) {
		c.printHelp(env.Stdout, fs)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard %s: %v\nRun 'eksguard %s --help' for usage.\n", c.name, err, c.name)
		return ExitUsage
	}
	inv := &invocation{cmd: c, env: env, opts: o, fs: fs, args: fs.Args()}
	if err := inv.configure(); err != nil {
		return inv.fail(err)
	}
	return c.run(inv)
}

// configure fills the flags the command line left unset: from EKSGUARD_*
// environment variables first, then from the configuration file, so a
// flag overrides the environment, which overrides the file.
func (inv *invocation) configure() error {
	inv.origin = map[string]string{}
	if err := applyEnv(inv.fs, inv.env.Getenv, inv.origin); err != nil {
		return usagef("%v", err)
	}
	if inv.fs.Lookup("config") == nil {
		return nil
	}
	file := inv.opts.Config
	if !inv.fs.Changed("config") {
		file = inv.env.Getenv(envName("config"))
	}
	if file == "" {
		file = findConfig(inv.args)
	}
	inv.opts.Config = file
	if file == "" {
		return nil
	}
	cfg, err := readConfig(file)
	if err != nil {
		return err
	}
	inv.cfg = cfg
	return cfg.apply(inv.fs, inv.origin)
}

func helpAsked(fs *pflag.FlagSet) bool {
	h, _ := fs.GetBool("help")
	return h
}

// gnuArgs lets long flags written with one dash (-format json, as Go's
// flag package and earlier eksguard versions accepted) keep working:
// pflag would read -format as -f ormat.
func gnuArgs(fs *pflag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name, _, _ := strings.Cut(a[1:], "=")
			if len(name) > 1 && fs.Lookup(name) != nil {
				a = "-" + a
			}
		}
		out = append(out, a)
	}
	return out
}

// printHelp writes the command's help: usage, examples, flags by group
// and the exit statuses.
func (c *command) printHelp(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", c.synopsis(), c.summary)
	if len(c.examples) > 0 {
		fmt.Fprintf(w, "\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	groups := map[string][]*pflag.Flag{}
	fs.VisitAll(func(f *pflag.Flag) {
		g := flagGroup(f)
		groups[g] = append(groups[g], f)
	})
	for _, g := range append(append([]string(nil), groupOrder...), groupGeneral) {
		if len(groups[g]) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s flags:\n", g)
		for _, f := range groups[g] {
			fmt.Fprintf(w, "  %s\n", flagSynopsis(f))
			for _, ln := range wrap(flagMeaning(f), 92) {
				fmt.Fprintf(w, "        %s\n", ln)
			}
		}
	}
	if c.exit != "" {
		fmt.Fprintf(w, "\nExit status: %s\n", c.exit)
	}
}

// synopsis is the command's usage line.
func (c *command) synopsis() string {
	return strings.TrimSpace("eksguard " + c.name + " [flags] " + c.args)
}

// flagGroup is the heading a flag is listed under.
func flagGroup(f *pflag.Flag) string {
	if a := f.Annotations[annGroup]; len(a) > 0 {
		return a[0]
	}
	return groupGeneral
}

// flagSynopsis is how a flag is written: "-f, --format FORMAT".
func flagSynopsis(f *pflag.Flag) string {
	s := "--" + f.Name
	if f.Shorthand != "" {
		s = "-" + f.Shorthand + ", " + s
	}
	if name, _ := pflag.UnquoteUsage(f); name != "" && f.Value.Type() != "bool" {
		s += " " + strings.ToUpper(name)
	}
	return s
}

// flagMeaning is a flag's usage with its default, when it has one worth
// saying.
func flagMeaning(f *pflag.Flag) string {
	_, usage := pflag.UnquoteUsage(f)
	switch d := f.DefValue; {
	case d == "", d == "false", d == "[]", d == "0", f.Name == "help":
	case strings.Contains(usage, "(default"):
	default:
		usage += fmt.Sprintf(" (default %s)", d)
	}
	return usage
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
