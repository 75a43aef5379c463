package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2025, 6, 10, 15, 0, 0, 0, time.UTC)

func open(t *testing.T, path string, opts Options) *Store {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func q(at time.Time, user, text string, answered bool, latency time.Duration) QuestionRecord {
	r := QuestionRecord{Time: at, Platform: "telegram", Chat: "c" + user, User: user, Question: text,
		Lang: "ar", Answered: answered, Latency: latency}
	if answered {
		r.TopDoc, r.Key = "news/a", "k"+text
	}
	return r
}

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	s := open(t, path, Options{})
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) {
		t.Fatalf("version %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v", mode, err)
	}
	var busy int
	if err := s.db.QueryRow(`PRAGMA busy_timeout`).Scan(&busy); err != nil || busy != 5000 {
		t.Errorf("busy_timeout %d, %v", busy, err)
	}
	if err := s.LogQuestion(ctx, q(t0, "1", "ما عاصمة المريخ؟", false, 20*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	s.RecordVote(ctx, "key1", "telegram", "c1", "1", true)
	salt := string(s.salt)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// Reopen: nothing re-applied, the salt kept, the log and the votes there.
	s2 := open(t, path, Options{})
	if v, _ := s2.SchemaVersion(ctx); v != len(migrations) {
		t.Errorf("version after reopen %d", v)
	}
	if string(s2.salt) != salt {
		t.Error("salt changed on reopen")
	}
	st, err := s2.Stats(ctx, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if st.Questions7d != 1 || st.Up != 1 || len(st.TopUnanswered) != 1 || st.TopUnanswered[0].Question != "ما عاصمة المريخ؟" {
		t.Errorf("after reopen: %+v", st)
	}
	// The same user's vote after the reopen replaces the first one.
	s2.RecordVote(ctx, "key1", "telegram", "c1", "1", false)
	st, _ = s2.Stats(ctx, t0.Add(time.Minute))
	if st.Up != 0 || st.Down != 1 {
		t.Errorf("vote after reopen not replaced: %+v", st)
	}
}

func TestMigrationsStepByStep(t *testing.T) {
	// A file at an older version gets only the missing migrations.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = saved[:1]
	s := open(t, path, Options{})
	s.Close()
	migrations = append(saved[:1:1], `CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (7);`)
	s = open(t, path, Options{})
	if v, _ := s.SchemaVersion(ctx); v != 2 {
		t.Fatalf("version %d, want 2", v)
	}
	var x int
	if err := s.db.QueryRow(`SELECT x FROM extra`).Scan(&x); err != nil || x != 7 {
		t.Errorf("migration 2 not applied: %d %v", x, err)
	}
	s.Close()
	// A failing migration is rolled back whole and reported.
	migrations = append(migrations, `CREATE TABLE more (y INTEGER); THIS IS NOT SQL;`)
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "migration 3") {
		t.Fatalf("want a migration 3 error, got %v", err)
	}
	migrations = migrations[:2]
	s = open(t, path, Options{})
	if v, _ := s.SchemaVersion(ctx); v != 2 {
		t.Errorf("version %d after a failed migration, want 2", v)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'more'`).Scan(&n)
	if n != 0 {
		t.Error("the failed migration left its table")
	}
	s.Close()
	// A file from a newer program is refused.
	migrations = saved[:1]
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("want a newer-schema error, got %v", err)
	}
}

func TestRetention(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	s := open(t, path, Options{})
	for _, d := range []int{0, 5, 29, 31, 45} {
		at := t0.Add(-time.Duration(d) * 24 * time.Hour)
		if err := s.LogQuestion(ctx, q(at, "1", "سؤال", false, time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if err := s.Vote(ctx, "k"+string(rune('a'+d)), "telegram", "1", true, at); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	// Open prunes at once.
	s = open(t, path, Options{RetentionDays: 30})
	var nq, nv int
	s.db.QueryRow(`SELECT COUNT(*) FROM questions`).Scan(&nq)
	s.db.QueryRow(`SELECT COUNT(*) FROM votes`).Scan(&nv)
	if nq != 3 || nv != 3 {
		t.Errorf("after open with 30 days: %d questions, %d votes; want 3, 3", nq, nv)
	}
	// And Prune (what the hourly loop runs) later.
	n, err := s.Prune(ctx, t0.Add(2*24*time.Hour))
	if err != nil || n != 2 {
		t.Errorf("Prune: %d, %v; want 2 rows", n, err)
	}
	// No retention: nothing goes.
	s.Close()
	s = open(t, path, Options{})
	if n, _ := s.Prune(ctx, t0.Add(1000*24*time.Hour)); n != 0 {
		t.Errorf("pruned %d without retention", n)
	}
}

func TestPruneLoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	var mu sync.Mutex
	now := t0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := open(t, path, Options{Now: clock})
	s.LogQuestion(context.Background(), q(t0, "1", "سؤال", false, time.Millisecond))
	s.opts.RetentionDays = 1
	mu.Lock()
	now = t0.Add(48 * time.Hour)
	mu.Unlock()
	s.wg.Add(1)
	go s.pruneLoop(5 * time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		s.db.QueryRow(`SELECT COUNT(*) FROM questions`).Scan(&n)
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the prune loop did not delete the old row")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestVoteChange(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "q.db"), Options{})
	s.RecordVote(ctx, "k1", "telegram", "c", "1", true)
	s.RecordVote(ctx, "k1", "telegram", "c", "1", true)  // same again
	s.RecordVote(ctx, "k1", "telegram", "c", "2", true)  // another user
	s.RecordVote(ctx, "k1", "discord", "c", "1", true)   // same id, other platform
	s.RecordVote(ctx, "k2", "telegram", "c", "1", false) // another answer
	s.RecordVote(ctx, "k1", "telegram", "c", "1", false) // user 1 changes their mind
	st, err := s.Stats(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Up != 2 || st.Down != 2 || st.VoteRatio != 0.5 {
		t.Errorf("votes: %+v", st)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM votes`).Scan(&n)
	if n != 4 {
		t.Errorf("%d vote rows, want 4", n)
	}
}

func TestStatsNumbers(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "q.db"), Options{})
	now := t0 // 15:00 UTC
	add := func(ago time.Duration, text string, answered bool, ms int) {
		t.Helper()
		if err := s.LogQuestion(ctx, q(now.Add(-ago), "u", text, answered, time.Duration(ms)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	// today (since 00:00): 4 questions
	add(time.Hour, "ما عاصمة الكويت؟", true, 10)
	add(2*time.Hour, "متى تأسست جامعة الكويت؟", false, 30)
	add(3*time.Hour, "متى تأسست  جامعةُ الكويت", false, 20)
	add(14*time.Hour, "What is the GDP of Kuwait?", false, 40)
	// earlier this week: 4 more
	add(30*time.Hour, "what is the gdp of kuwait", false, 50)
	add(50*time.Hour, "WHAT is the GDP of Kuwait ?!", false, 60)
	add(70*time.Hour, "من هو أمير الكويت؟", true, 70)
	add(6*24*time.Hour, "متي تاسست جامعة الكويت", false, 80)
	// over a week ago: not counted
	add(8*24*time.Hour, "سؤال قديم", false, 1000)
	add(9*24*time.Hour, "سؤال قديم", false, 1000)
	// three more unanswered groups, to check the top 5 cut
	for i, text := range []string{"أ", "ب", "ت", "ث"} {
		_ = i
		add(4*24*time.Hour, "سؤال "+text, false, 90)
	}
	s.Vote(ctx, "a", "telegram", "1", true, now.Add(-time.Hour))
	s.Vote(ctx, "a", "telegram", "2", true, now.Add(-time.Hour))
	s.Vote(ctx, "a", "telegram", "3", true, now.Add(-time.Hour))
	s.Vote(ctx, "b", "telegram", "1", false, now.Add(-time.Hour))
	s.Vote(ctx, "c", "telegram", "1", false, now.Add(-10*24*time.Hour)) // too old

	st, err := s.Stats(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if st.QuestionsToday != 4 || st.Questions7d != 12 || st.Answered7d != 2 {
		t.Errorf("counts: today %d, 7d %d, answered %d; want 4, 12, 2", st.QuestionsToday, st.Questions7d, st.Answered7d)
	}
	if want := 2.0 / 12; st.AnsweredRate != want {
		t.Errorf("answered rate %v, want %v", st.AnsweredRate, want)
	}
	// latencies: 10 20 30 40 50 60 70 80 90 90 90 90 → median (60+70)/2
	if st.MedianLatency != 65*time.Millisecond {
		t.Errorf("median %v, want 65ms", st.MedianLatency)
	}
	if st.Up != 3 || st.Down != 1 || st.VoteRatio != 0.75 {
		t.Errorf("votes %d/%d %v", st.Up, st.Down, st.VoteRatio)
	}
	if len(st.TopUnanswered) != 5 {
		t.Fatalf("top unanswered: %+v", st.TopUnanswered)
	}
	top := st.TopUnanswered
	// the GDP question 3 times (latest wording first asked 14 h ago), the
	// university 3 times (latest 2 h ago): equal counts, the more recent first.
	if top[0].Count != 3 || top[0].Question != "متى تأسست جامعة الكويت؟" || !top[0].Last.Equal(now.Add(-2*time.Hour)) {
		t.Errorf("top[0] = %+v", top[0])
	}
	if top[1].Count != 3 || top[1].Question != "What is the GDP of Kuwait?" {
		t.Errorf("top[1] = %+v", top[1])
	}
	for _, u := range top[2:] {
		if u.Count != 1 || !strings.HasPrefix(u.Question, "سؤال ") || u.Question == "سؤال قديم" {
			t.Errorf("rest: %+v", u)
		}
	}

	// An odd count: the middle one.
	st, _ = s.Stats(ctx, now.Add(-90*time.Minute)) // sees questions 2 h ago and older (within 7 d of then)
	if st.Questions7d != 11 || st.MedianLatency != 70*time.Millisecond {
		t.Errorf("odd: %d questions, median %v", st.Questions7d, st.MedianLatency)
	}

	// Nothing yet: zeros, no division by zero.
	empty := open(t, filepath.Join(t.TempDir(), "e.db"), Options{})
	st, err = empty.Stats(ctx, now)
	if err != nil || st.Questions7d != 0 || st.AnsweredRate != 0 || st.MedianLatency != 0 || st.VoteRatio != 0 || st.TopUnanswered != nil {
		t.Errorf("empty: %+v %v", st, err)
	}
}

func TestPrivacy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	s := open(t, path, Options{})
	s.LogQuestion(ctx, q(t0, "987654321", "سؤال", false, 0))
	s.RecordVote(ctx, "k", "telegram", "987654321", "987654321", true)
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, query := range []string{`SELECT chat_hash || user_hash FROM questions`, `SELECT user_hash FROM votes`} {
		var v string
		if err := db.QueryRow(query).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(v, "987654321") || len(v) < 32 {
			t.Errorf("%s = %q", query, v)
		}
	}
}

func TestDisabled(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "q.db")
	s, err := Open(path, Options{Disabled: true})
	if err != nil || s != nil {
		t.Fatalf("Open disabled: %v, %v", s, err)
	}
	if err := s.LogQuestion(ctx, q(t0, "1", "x", false, 0)); err != nil {
		t.Error(err)
	}
	s.RecordVote(ctx, "k", "telegram", "c", "1", true)
	if st, err := s.Stats(ctx, t0); err != nil || st.Questions7d != 0 {
		t.Errorf("Stats: %+v %v", st, err)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("disabled store touched the disk: %v", err)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  What is the GDP of Kuwait?! ": "what is the gdp of kuwait",
		"متى تأسّست جامعةُ الكويت؟":      "متي تاسست جامعه الكويت",
		"عام ٢٠٢٤ — كم؟":                 "عام 2024 كم",
		"إلى   أين":                      "الي اين",
		"؟!":                             "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "q.db"), Options{})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				if err := s.LogQuestion(ctx, q(t0, "u", "سؤال", j%2 == 0, time.Millisecond)); err != nil {
					t.Error(err)
				}
				s.RecordVote(ctx, "k", "telegram", "c", string(rune('a'+i)), j%2 == 0)
			}
		}()
	}
	wg.Wait()
	st, err := s.Stats(ctx, t0)
	if err != nil || st.Questions7d != 200 || st.Up+st.Down != 20 {
		t.Errorf("%+v %v", st, err)
	}
}
