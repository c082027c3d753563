package points

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// ExportLedger writes the community's whole points ledger as ledger.csv:
// one row per entry, oldest first. Moderators get it with /stats export.
func (m *Module) ExportLedger(ctx context.Context, community string) (bot.File, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"entry", "time", "member", "delta", "score", "reason", "moderator"})
	err := m.store.Ledger(ctx, community, func(e Entry) error {
		return w.Write([]string{
			strconv.FormatUint(e.Seq, 10), e.Time.UTC().Format(time.RFC3339), string(e.Member),
			strconv.FormatInt(e.Delta, 10), strconv.FormatInt(e.Score, 10), bot.CSVCell(e.Reason), bot.CSVCell(e.Actor),
		})
	})
	if err != nil {
		return bot.File{}, err
	}
	w.Flush()
	return bot.File{Name: "ledger.csv", MIME: "text/csv", Data: buf.Bytes()}, w.Error()
}

// TierCounts counts the members on each rung of the community's ladder by
// points earned, lowest first, from the leaderboard's counts (no member is
// scanned). Minimum active days and manual tiers are left out.
func (m *Module) TierCounts(ctx context.Context, community string) ([]bot.TierCount, error) {
	tiers := m.settings.For(community).Tiers
	out := make([]bot.TierCount, len(tiers))
	atLeast := func(p int64) (int, error) { // members with a score of at least p
		r, err := m.store.Rank(ctx, community, ScopeAll, p-1)
		return r - 1, err
	}
	for i := range tiers {
		n, err := atLeast(max(tiers[i].MinPoints, 1))
		if err != nil {
			return nil, err
		}
		if i+1 < len(tiers) {
			above, err := atLeast(tiers[i+1].MinPoints)
			if err != nil {
				return nil, err
			}
			n -= above
		}
		out[i] = bot.TierCount{Tier: tiers[i].Name, Members: n}
	}
	return out, nil
}

// Reached reports whether a member stands at tier or above on the ladder.
// A member with a manual tier (Opinion Leader) counts as having reached
// every ladder tier. Unknown tier names are an error.
func (m *Module) Reached(ctx context.Context, community string, member bot.MemberID, tier string) (bool, error) {
	cfg := m.settings.For(community)
	want := tierIndex(cfg, tier)
	if want < 0 {
		return false, fmt.Errorf("points: %q is not a tier of the ladder", tier)
	}
	st, err := m.store.State(ctx, community, member)
	if err != nil {
		return false, err
	}
	if st.ManualTier != "" {
		return true, nil
	}
	return tierIndex(cfg, st.Tier) >= want, nil
}
