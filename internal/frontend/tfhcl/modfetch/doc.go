// Package modfetch fetches remote Terraform modules the way `terraform
// init` does, for module blocks whose source is neither local nor already
// installed under .terraform/modules. eksguard only does this when the user
// asks (--download-modules): a static scan must not reach the network on
// its own.
//
// # API
//
//	f := &modfetch.Fetcher{}                      // zero value uses the defaults
//	dir, ver, err := f.Fetch(ctx, source, version)
//	m, err := f.FetchModule(ctx, source, version) // also says when the cache stood in for the registry
//
// source is the module block's source string, version its version
// constraint ("" for none; only registry sources accept one). dir is the
// module's own directory inside the cache, any "//subdir" applied; ver is
// the registry version chosen ("" for other sources).
//
// # Sources
//
// Supported, with Terraform's meaning:
//   - registry addresses [host/]namespace/name/system[//subdir], default host
//     registry.terraform.io: service discovery (/.well-known/terraform.json,
//     modules.v1), overridden by a CLI configuration `host` block; the newest
//     version that the constraint allows (Terraform's syntax: =, !=, >, >=,
//     <, <=, ~>, comma-separated; a prerelease only when named exactly); the
//     download location from X-Terraform-Get or a JSON "location", relative
//     ones resolved against the download URL, then fetched as below;
//   - http(s) archive URLs: .zip, .tar, .tar.gz/.tgz, .tar.bz2/.tbz2, or any
//     URL with ?archive=FORMAT; other http(s) URLs are asked for an
//     X-Terraform-Get header or terraform-get meta tag, as go-getter does;
//   - git: git::https://…, git::ssh://…, git::http://…, user@host:path, with
//     ?ref= and ?depth=; the GitHub and Bitbucket shorthands
//     github.com/owner/repo and bitbucket.org/owner/repo (git over https,
//     further path segments being a subdir).
//
// Not supported, each with an error naming it: s3::, gcs:: (and their
// amazonaws.com and googleapis.com shorthands), hg::, file:: and absolute
// paths, .tar.xz archives (no xz in the standard library), git ?sshkey=,
// and git submodules (not initialised).
//
// Registry tokens come from TF_TOKEN_<host> (dots written "_", dashes
// either kept or written "__"), else a CLI configuration `credentials`
// block, else ~/.terraform.d/credentials.tfrc.json. They are sent as a
// Bearer token to that host's registry API only, never to a download
// location, and never appear in errors.
//
// Git runs as the git binary with GIT_TERMINAL_PROMPT=0, ssh in batch
// mode, hooks disabled, the ext and file transports refused, and a timeout.
//
// # Cache layout
//
// Under CacheDir (default os.UserCacheDir()/eksguard/modules):
//
//	tmp/stage-*/                         staging; anything here is garbage
//	pkg/<sha256(package key)>/           an http or git package
//	    meta.json                        address (no secrets), subdir named by a redirect, time
//	    src/                             the package's files
//	registry/<host>/<ns>/<name>/<system>/
//	    <version>/meta.json, <version>/src/
//	    resolved/<sha256(constraint)>.json   {"constraint", "version"} last chosen
//
// The package key is the address without its subdir (plus ref and depth for
// git), so module blocks naming different directories of one package share
// one download. An entry is built in tmp/ and renamed into place after its
// meta.json is written, so an entry that exists is complete; a crash leaves
// only staging directories, removed after a day.
//
// A registry module whose constraint has a recorded resolution is reused
// without any request, as `terraform init` reuses .terraform/modules; set
// Refresh to ask again (like -upgrade). When the registry cannot be reached,
// the newest cached version the constraint allows is used and
// Module.Stale says so. http and git packages are reused until Refresh, so
// a branch ref is not followed after its first fetch.
//
// # Safety
//
// Archives are extracted through os.Root; member names that are absolute or
// contain "..", symlinks whose target is absolute or leaves the package
// (checked again by resolving every link after extraction, which also
// covers git checkouts), more than MaxFiles entries or MaxExtractBytes
// bytes all fail the fetch. Response bodies are capped (MaxDownloadBytes
// for archives, 4 MiB for registry JSON).
package modfetch
