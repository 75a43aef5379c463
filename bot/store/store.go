// Package store keeps qabot's question log and the 👍/👎 votes in a SQLite
// file (through modernc.org/sqlite, a pure-Go driver: no cgo), and
// computes the usage statistics admins see with /stats.
//
// User ids are never stored: each is kept as a salted HMAC-SHA256 (the salt
// is made at random when the file is created and lives in it), which is
// enough to count one vote per user and tell users apart, and nothing more.
// Chat ids are hashed the same way, since a private chat's id is its user's.
//
// The schema is versioned: migrations is an ordered list of SQL scripts;
// the schema_version table holds how many have been applied, and each new
// one runs in its own transaction. Rows older than Options.RetentionDays are
// deleted at Open and then every hour.
//
// A nil *Store is a valid, disabled store: every method does nothing (Open
// returns one when Options.Disabled is set, and creates no file).
package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Options configure a Store.
type Options struct {
	// Disabled makes Open return a nil *Store without touching the file.
	Disabled bool
	// RetentionDays is how many days of questions and votes are kept;
	// 0 or less keeps everything.
	RetentionDays int
	// Logger receives errors of RecordVote (which cannot return them) and
	// of the hourly pruning. Nil: discarded.
	Logger *slog.Logger
	// Now is the clock used for votes and pruning (default time.Now).
	Now func() time.Time
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection or process (default 5 s).
	BusyTimeout time.Duration
}

// Store is the question log and vote store. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	salt []byte
	opts Options
	log  *slog.Logger

	stop    chan struct{}
	wg      sync.WaitGroup
	closeMu sync.Once
	err     error
}

// migrations are the schema, in order. Never edit one that shipped: add a
// new one.
var migrations = []string{
	// 1: the question log, the votes, the salt.
	`CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value BLOB NOT NULL
	);
	CREATE TABLE questions (
		id         INTEGER PRIMARY KEY,
		time       INTEGER NOT NULL,          -- Unix milliseconds
		platform   TEXT    NOT NULL,
		chat_hash  TEXT    NOT NULL,
		user_hash  TEXT    NOT NULL,
		question   TEXT    NOT NULL,
		norm       TEXT    NOT NULL,          -- normalised question, for grouping
		lang       TEXT    NOT NULL,
		answered   INTEGER NOT NULL,          -- 0 or 1
		top_doc    TEXT    NOT NULL DEFAULT '',
		latency_ms INTEGER NOT NULL,
		answer_key TEXT    NOT NULL DEFAULT '' -- the router's button key
	);
	CREATE INDEX questions_time ON questions(time);
	CREATE INDEX questions_unanswered ON questions(answered, time);
	CREATE INDEX questions_key ON questions(answer_key) WHERE answer_key != '';
	CREATE TABLE votes (
		answer_key TEXT    NOT NULL,
		platform   TEXT    NOT NULL,
		user_hash  TEXT    NOT NULL,
		up         INTEGER NOT NULL,          -- 1 👍, 0 👎
		time       INTEGER NOT NULL,          -- Unix milliseconds of the latest vote
		PRIMARY KEY (answer_key, platform, user_hash)
	);
	CREATE INDEX votes_time ON votes(time);`,
}

// Open opens (creating when needed) the store at path and brings its
// schema up to date. With opts.Disabled it returns nil, nil.
func Open(path string, opts Options) (*Store, error) {
	if opts.Disabled {
		return nil, nil
	}
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("store: empty path")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dsn := "file:" + path + fmt.Sprintf(
		"?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate",
		opts.BusyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// One connection: SQLite has one writer anyway, and this one keeps the
	// pragmas. Reads are short.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, opts: opts, log: log, stop: make(chan struct{})}
	ctx := context.Background()
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if s.salt, err = s.loadSalt(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if _, err := s.Prune(ctx, opts.Now()); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if opts.RetentionDays > 0 {
		s.wg.Add(1)
		go s.pruneLoop(time.Hour)
	}
	return s, nil
}

// SchemaVersion returns the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	if s == nil {
		return 0, nil
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	return v, err
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("schema_version: %w", err)
	}
	for {
		done, err := s.migrateOne(ctx)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration, if any, in one transaction
// (which also re-reads the version, so two processes cannot both apply
// it). It reports true when the schema is up to date.
func (s *Store) migrateOne(ctx context.Context) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var v int
	switch err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return false, err
		}
	case err != nil:
		return false, err
	}
	if v > len(migrations) {
		return false, fmt.Errorf("schema version %d is newer than this program knows (%d)", v, len(migrations))
	}
	if v == len(migrations) {
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, v+1); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

func (s *Store) loadSalt(ctx context.Context) ([]byte, error) {
	salt := make([]byte, 32)
	_, _ = rand.Read(salt)
	// Keeps the first salt ever written: a reopen (or a racing process)
	// reads that one back.
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)`, salt); err != nil {
		return nil, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'salt'`).Scan(&salt); err != nil {
		return nil, err
	}
	return salt, nil
}

// hash returns the salted hash of one id on one platform.
func (s *Store) hash(platform, id string) string {
	m := hmac.New(sha256.New, s.salt)
	m.Write([]byte(platform))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// QuestionRecord is one question asked.
type QuestionRecord struct {
	Time     time.Time
	Platform string
	Chat     string // the chat id; stored hashed
	User     string // the user id; stored hashed
	Question string
	Lang     string
	Answered bool
	TopDoc   string
	Latency  time.Duration
	Key      string // the answer's button key, "" when unanswered
}

// LogQuestion stores one question.
func (s *Store) LogQuestion(ctx context.Context, q QuestionRecord) error {
	if s == nil {
		return nil
	}
	if q.Time.IsZero() {
		q.Time = s.opts.Now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO questions
		(time, platform, chat_hash, user_hash, question, norm, lang, answered, top_doc, latency_ms, answer_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		q.Time.UnixMilli(), q.Platform, s.hash(q.Platform, q.Chat), s.hash(q.Platform, q.User),
		q.Question, Normalize(q.Question), q.Lang, q.Answered, q.TopDoc, q.Latency.Milliseconds(), q.Key)
	if err != nil {
		return fmt.Errorf("store: logging a question: %w", err)
	}
	return nil
}

// RecordVote implements bot.FeedbackSink (the package does not import bot): a user's vote on an answer key;
// a second vote by the same user on the same key replaces the first.
// Errors are logged.
func (s *Store) RecordVote(ctx context.Context, key, platform, chatID, userID string, up bool) {
	if s == nil {
		return
	}
	if err := s.Vote(ctx, key, platform, userID, up, s.opts.Now()); err != nil {
		s.log.Error("store: recording a vote", "err", err)
	}
}

// Vote records one vote at time t, replacing the user's earlier vote on key.
func (s *Store) Vote(ctx context.Context, key, platform, userID string, up bool, t time.Time) error {
	if s == nil {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO votes (answer_key, platform, user_hash, up, time)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (answer_key, platform, user_hash) DO UPDATE SET up = excluded.up, time = excluded.time`,
		key, platform, s.hash(platform, userID), up, t.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: recording a vote: %w", err)
	}
	return nil
}

// Prune deletes questions and votes older than the retention period
// before now, and returns how many rows went. With no retention it does
// nothing.
func (s *Store) Prune(ctx context.Context, now time.Time) (int64, error) {
	if s == nil || s.opts.RetentionDays <= 0 {
		return 0, nil
	}
	cut := now.Add(-time.Duration(s.opts.RetentionDays) * 24 * time.Hour).UnixMilli()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int64
	for _, q := range []string{`DELETE FROM questions WHERE time < ?`, `DELETE FROM votes WHERE time < ?`} {
		res, err := tx.ExecContext(ctx, q, cut)
		if err != nil {
			return 0, fmt.Errorf("store: pruning: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, tx.Commit()
}

func (s *Store) pruneLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			n, err := s.Prune(context.Background(), s.opts.Now())
			if err != nil {
				s.log.Error("store: pruning old rows", "err", err)
			} else if n > 0 {
				s.log.Info("store: pruned old rows", "rows", n, "retention_days", s.opts.RetentionDays)
			}
		}
	}
}

// Close stops the pruning and closes the database. It may be called more
// than once.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	s.closeMu.Do(func() {
		close(s.stop)
		s.wg.Wait()
		if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			s.log.Debug("store: checkpoint at close", "err", err)
		}
		s.err = s.db.Close()
	})
	return s.err
}

// Stats are the usage numbers for /stats.
type Stats struct {
	QuestionsToday int // since local midnight (in now's location)
	Questions7d    int // in the 7 days before now
	Answered7d     int
	// AnsweredRate is Answered7d / Questions7d (0 without questions).
	AnsweredRate float64
	// MedianLatency is over the questions of the 7 days.
	MedianLatency time.Duration
	// Up and Down count the votes cast in the 7 days; VoteRatio is
	// Up / (Up + Down) (0 without votes).
	Up, Down  int
	VoteRatio float64
	// TopUnanswered are the most asked unanswered questions of the 7 days,
	// grouped by normalised text, at most 5, most asked first.
	TopUnanswered []Unanswered
}

// Unanswered is one group of unanswered questions: the latest wording and
// how many times it was asked.
type Unanswered struct {
	Question string
	Count    int
	Last     time.Time
}

// Stats computes the usage numbers as of now.
func (s *Store) Stats(ctx context.Context, now time.Time) (Stats, error) {
	var st Stats
	if s == nil {
		return st, nil
	}
	y, m, d := now.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, now.Location()).UnixMilli()
	week := now.Add(-7 * 24 * time.Hour).UnixMilli()
	end := now.UnixMilli()

	// Midnight is always inside the week.
	err := s.db.QueryRowContext(ctx, `SELECT
		COUNT(CASE WHEN time >= ? THEN 1 END), COUNT(*), COUNT(CASE WHEN answered THEN 1 END)
		FROM questions WHERE time >= ? AND time <= ?`,
		midnight, week, end).Scan(&st.QuestionsToday, &st.Questions7d, &st.Answered7d)
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	if st.Questions7d > 0 {
		st.AnsweredRate = float64(st.Answered7d) / float64(st.Questions7d)
		// The median: the middle row, or the mean of the middle two.
		n := st.Questions7d
		rows, err := s.db.QueryContext(ctx, `SELECT latency_ms FROM questions WHERE time >= ? AND time <= ?
			ORDER BY latency_ms LIMIT ? OFFSET ?`, week, end, 2-n%2, (n-1)/2)
		if err != nil {
			return st, fmt.Errorf("store: stats: %w", err)
		}
		var sum, k int64
		for rows.Next() {
			var ms int64
			if err := rows.Scan(&ms); err != nil {
				rows.Close()
				return st, err
			}
			sum += ms
			k++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return st, err
		}
		if k > 0 {
			st.MedianLatency = time.Duration(sum) * time.Millisecond / time.Duration(k)
		}
	}

	err = s.db.QueryRowContext(ctx, `SELECT COUNT(CASE WHEN up THEN 1 END), COUNT(CASE WHEN NOT up THEN 1 END)
		FROM votes WHERE time >= ? AND time <= ?`, week, end).Scan(&st.Up, &st.Down)
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	if st.Up+st.Down > 0 {
		st.VoteRatio = float64(st.Up) / float64(st.Up+st.Down)
	}

	// The latest wording of each group; of two asked in the same
	// millisecond, the one stored last.
	rows, err := s.db.QueryContext(ctx, `SELECT question, n, last FROM (
			SELECT question, COUNT(*) OVER grp AS n, MAX(time) OVER grp AS last,
				ROW_NUMBER() OVER (PARTITION BY norm ORDER BY time DESC, rowid DESC) AS latest
			FROM questions WHERE NOT answered AND time >= ? AND time <= ? AND norm != ''
			WINDOW grp AS (PARTITION BY norm))
		WHERE latest = 1 ORDER BY n DESC, last DESC LIMIT 5`, week, end)
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u Unanswered
		var last int64
		if err := rows.Scan(&u.Question, &u.Count, &last); err != nil {
			return st, err
		}
		u.Last = time.UnixMilli(last)
		st.TopUnanswered = append(st.TopUnanswered, u)
	}
	return st, rows.Err()
}

// Normalize returns the form questions are grouped by: lower case, Arabic
// diacritics and tatweel removed, alef/yeh/teh marbuta forms folded,
// Arabic-Indic digits as ASCII, punctuation dropped, spaces collapsed.
func Normalize(q string) string {
	var b strings.Builder
	space := false
	for _, r := range q {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640: // harakat, superscript alef, tatweel
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		}
		if unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
