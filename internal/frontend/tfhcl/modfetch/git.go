package modfetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// gitTimeout bounds one git command when the caller's context has no
// deadline: a clone that waits on a dead server must not hang the scan.
const gitTimeout = 10 * time.Minute

// gitClone checks out a repository at a ref into dst. The ref is checked
// out detached after a full clone unless a depth was asked for, because a
// shallow clone can only start from a branch or tag; like go-getter.
func (f *Fetcher) gitClone(ctx context.Context, s *source, dst string) error {
	bin := f.Git
	if bin == "" {
		bin = "git"
	}
	if _, err := exec.LookPath(bin); err != nil {
		return fmt.Errorf("module source %s needs git: %v", s, err)
	}
	args := []string{"clone", "--quiet"}
	if s.depth > 0 {
		args = append(args, "--depth", strconv.Itoa(s.depth))
		if s.ref != "" {
			args = append(args, "--branch", s.ref)
		}
	} else if s.ref != "" {
		args = append(args, "--no-checkout")
	}
	// "--" keeps a URL that begins like an option from being read as one.
	args = append(args, "--", s.gitURL, dst)
	if err := f.runGit(ctx, bin, "", s, args...); err != nil {
		return err
	}
	if s.depth == 0 && s.ref != "" {
		if err := f.runGit(ctx, bin, dst, s, "checkout", "--quiet", "--detach", s.ref, "--"); err != nil {
			return err
		}
	}
	// The history is not part of the module; dropping it keeps the cache
	// small and keeps git from treating the entry as a work tree later.
	if err := os.RemoveAll(filepath.Join(dst, ".git")); err != nil {
		return err
	}
	return checkLinks(dst)
}

func (f *Fetcher) runGit(ctx context.Context, bin, dir string, s *source, args ...string) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, gitTimeout)
		defer cancel()
	}
	// Hooks are switched off (a clone runs post-checkout), and the ext and
	// file transports, which a hostile .gitmodules or URL could use to run
	// commands or read the disk, are refused.
	full := append([]string{
		"-c", "core.hooksPath=" + os.DevNull,
		"-c", "protocol.ext.allow=never",
		"-c", "protocol.file.allow=never",
		"-c", "advice.detachedHead=false",
	}, args...)
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	env := append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	if os.Getenv("GIT_SSH_COMMAND") == "" && os.Getenv("GIT_SSH") == "" {
		// ssh must fail rather than ask for a passphrase or host key.
		env = append(env, "GIT_SSH_COMMAND=ssh -o BatchMode=yes")
	}
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("module source %s: git %s: %v", s, args[0], ctx.Err())
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		msg = redactGitOutput(msg, s.gitURL)
		var ee *exec.ExitError
		if errors.As(err, &ee) && msg != "" {
			return fmt.Errorf("module source %s: git %s failed: %s", s, args[0], msg)
		}
		return fmt.Errorf("module source %s: git %s: %v", s, args[0], err)
	}
	return nil
}

// redactGitOutput hides a password written into the URL, which git may
// echo back in its messages.
func redactGitOutput(msg, rawURL string) string {
	at := strings.Index(rawURL, "@")
	scheme := strings.Index(rawURL, "://")
	if at < 0 || scheme < 0 || scheme > at {
		return msg
	}
	userinfo := rawURL[scheme+3 : at]
	if _, pass, ok := strings.Cut(userinfo, ":"); ok && pass != "" {
		msg = strings.ReplaceAll(msg, pass, "redacted")
	}
	return msg
}
