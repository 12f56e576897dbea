package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// errCannotRun marks a machine where the binaries exist but a server cannot
// be run (root without a postgres user): a reason to skip, not a failure.
var errCannotRun = errors.New("cannot run PostgreSQL here")

// debianDirs is where Debian installs each PostgreSQL version's programs.
var debianDirs = "/usr/lib/postgresql/*/bin"

// binaries are the server programs of one PostgreSQL installation.
type binaries struct {
	initdb, postgres string
}

// findBinaries looks for initdb and postgres in PATH, then in
// /usr/lib/postgresql/*/bin (Debian's layout), newest version first.
func findBinaries() (binaries, error) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	found, _ := filepath.Glob(debianDirs)
	slices.SortFunc(found, func(a, b string) int { return versionOf(b) - versionOf(a) })
	dirs = append(dirs, found...)
	for _, d := range dirs {
		b := binaries{initdb: filepath.Join(d, "initdb"), postgres: filepath.Join(d, "postgres")}
		if isExecutable(b.initdb) && isExecutable(b.postgres) {
			return b, nil
		}
	}
	return binaries{}, errors.New("the PostgreSQL server programs (initdb, postgres) are not in PATH nor in " + debianDirs)
}

// versionOf returns the major version of /usr/lib/postgresql/N/bin.
func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// cluster is a PostgreSQL cluster in a temporary directory, served on a
// Unix socket in that directory.
type cluster struct {
	dir  string // holds data/, the socket and postgres.log
	url  string
	bin  binaries
	cred *syscall.Credential // whom the server runs as; nil: this process's user
	cmd  *exec.Cmd
	done chan struct{} // closed when the server process has exited
	err  error         // its exit status, once done
}

// startCluster creates a cluster with bin and starts its server.
func startCluster(ctx context.Context, bin binaries) (*cluster, error) {
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("%w: running as root and there is no postgres user to run the server as (PostgreSQL refuses root): %v", errCannotRun, err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// The socket path must fit in sun_path (108 bytes).
	base := os.TempDir()
	if len(base) > 60 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "newsbot-pgtest-")
	if err != nil {
		return nil, fmt.Errorf("temporary cluster: %w", err)
	}
	c := &cluster{dir: dir, bin: bin, cred: cred}
	fail := func(err error) (*cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(fmt.Errorf("temporary cluster: %w", err))
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, bin.initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.Dir = dir
	initdb.Env = serverEnv()
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb in %s: %v\n%s", dir, err, out))
	}
	c.url = "postgres://postgres@/postgres?" + url.Values{"host": {dir}, "port": {"5432"}, "sslmode": {"disable"}}.Encode()
	if err := c.launch(ctx); err != nil {
		if c.cmd != nil {
			c.stop()
		} else {
			os.RemoveAll(dir)
		}
		return nil, err
	}
	return c, nil
}

// launch starts the cluster's server and waits until it accepts
// connections.
func (c *cluster) launch(ctx context.Context) error {
	data := filepath.Join(c.dir, "data")
	logf, err := os.OpenFile(filepath.Join(c.dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("temporary cluster: %w", err)
	}
	defer logf.Close()
	// Only a Unix socket in dir: no TCP port to race for. Durability is
	// off: the cluster is thrown away.
	c.done = make(chan struct{})
	c.cmd = exec.Command(c.bin.postgres, "-D", data, "-k", c.dir, "-p", "5432",
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "log_min_messages=warning")
	c.cmd.Dir = c.dir
	c.cmd.Env = serverEnv()
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	// Pdeathsig: if the test process dies without stopping the server (a
	// test timeout's panic, a kill), the kernel shuts the server down.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	if err := c.cmd.Start(); err != nil {
		c.cmd = nil
		return fmt.Errorf("start postgres: %w", err)
	}
	cmd, done := c.cmd, c.done
	go func() {
		c.err = cmd.Wait()
		close(done)
	}()
	return c.waitReady(ctx)
}

// serverEnv is the environment of initdb and postgres: the caller's, with a
// locale every machine has.
func serverEnv() []string {
	env := []string{"LC_ALL=C", "LANG=C"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady polls the server until it accepts connections.
func (c *cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.url)
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		select {
		case <-c.done:
			return fmt.Errorf("postgres exited at start (%v):\n%s", c.err, c.log())
		case <-ctx.Done():
			return fmt.Errorf("postgres did not accept connections within a minute: %v\n%s", err, c.log())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (c *cluster) log() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// stop shuts the server down (see halt) and removes the cluster's
// directory.
func (c *cluster) stop() error {
	c.halt()
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("remove temporary cluster: %w", err)
	}
	return nil
}

// halt shuts the server down, fast shutdown (SIGINT: sessions are
// disconnected), then immediate, then a kill, and waits for it to exit.
// The cluster's files stay: launch starts it again.
func (c *cluster) halt() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(20 * time.Second):
			c.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-c.done:
			case <-time.After(10 * time.Second):
				c.cmd.Process.Kill()
				<-c.done
			}
		}
	}
	c.cmd = nil
}
