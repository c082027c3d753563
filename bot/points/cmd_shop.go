package points

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// runShop lists the rewards the caller can afford and reach by tier.
func (m *Module) runShop(ctx context.Context, req *bot.Request) error {
	c := req.Community
	cfg := m.settings.For(c.ID)
	if len(cfg.Shop) == 0 {
		return req.ReplyText(ctx, "shop.closed", nil)
	}
	st, err := m.store.State(ctx, c.ID, req.Member)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(req.T("shop.header", bot.Args{"balance": st.Balance, "count": st.Balance}))
	later := 0
	for _, it := range cfg.Shop {
		left := -1
		if it.Stock > 0 {
			taken, err := m.store.Redeemed(ctx, c.ID, it.ID)
			if err != nil {
				return err
			}
			left = max(it.Stock-taken, 0)
		}
		if st.Balance < it.Cost || !cfg.reaches(st, it.MinTier) || left == 0 {
			later++
			continue
		}
		line := req.T("shop.item", bot.Args{"id": it.ID, "name": it.Name, "cost": it.Cost})
		if left > 0 {
			line += " " + req.T("shop.left", bot.Args{"count": left})
		}
		b.WriteString("\n" + line)
	}
	if later == len(cfg.Shop) {
		b.WriteString("\n" + req.T("shop.nothing_yet", nil))
	} else {
		b.WriteString("\n" + req.T("shop.how", nil))
	}
	if later > 0 {
		b.WriteString("\n" + req.T("shop.more", bot.Args{"count": later}))
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}

// runRedeem spends points on a reward and opens a fulfilment request in
// the moderators' chat.
func (m *Module) runRedeem(ctx context.Context, req *bot.Request) error {
	c := req.Community
	cfg := m.settings.For(c.ID)
	if len(req.Args) == 0 {
		return bot.Errorf("error.usage", bot.Args{"usage": "/redeem ITEM"})
	}
	it, ok := cfg.item(req.Args[0])
	if !ok {
		return bot.Errorf("shop.unknown_item", bot.Args{"item": clip(req.Args[0], 24)})
	}
	stock := it.Stock
	if stock == 0 {
		stock = -1
	}
	at := req.Now()
	p := periodsAt(at, c.Location)
	r, st, err := m.store.Redeem(ctx, c.ID, req.Member, it.ID, stock, func(st *State, _ func(rule, ref string) bool) error {
		if !cfg.reaches(*st, it.MinTier) {
			return bot.Errorf("shop.tier_required", bot.Args{"item": it.Name, "tier": it.MinTier})
		}
		if st.Balance < it.Cost {
			return bot.Errorf("shop.too_poor", bot.Args{"item": it.Name, "cost": it.Cost, "balance": st.Balance})
		}
		st.post(Entry{Time: at, Delta: -it.Cost, Reason: ReasonRedeem, Ref: it.ID}, p.week, p.month)
		return nil
	}, at)
	if errors.Is(err, ErrOutOfStock) {
		return bot.Errorf("shop.sold_out", bot.Args{"item": it.Name})
	}
	if err != nil {
		return err
	}
	req.Bot.Count(ctx, c.ID, req.Event.Chat, bot.CountRedemptions, 1)
	if !c.ModChat.IsZero() {
		lang := req.Bot.LangFor(c, "")
		id := strconv.FormatUint(r.ID, 10)
		msg := bot.Outgoing{
			Text: req.Bot.T(lang, "shop.request", bot.Args{"id": r.ID, "name": req.Event.From.Display(), "account": req.Event.From.Key(), "item": it.Name, "cost": it.Cost}),
			Buttons: [][]bot.Button{{
				{Text: req.Bot.T(lang, "shop.button_fulfil", nil), Data: "shop:ok:" + id},
				{Text: req.Bot.T(lang, "shop.button_refund", nil), Data: "shop:refund:" + id},
			}},
		}
		if _, err := req.Bot.Send(ctx, c.ModChat, msg); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Uint64("redemption", r.ID).Msg("posting a fulfilment request failed")
		}
	} else {
		zerolog.Ctx(ctx).Warn().Uint64("redemption", r.ID).Msg("no mod_chat configured for fulfilment requests")
	}
	return req.ReplyText(ctx, "shop.redeemed", bot.Args{"item": it.Name, "cost": it.Cost, "balance": st.Balance, "id": r.ID})
}

// pressShop settles a fulfilment request: shop:ok:ID or shop:refund:ID.
func (m *Module) pressShop(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 2 || (req.Args[0] != "ok" && req.Args[0] != "refund") {
		return nil // forged or stale data
	}
	id, err := strconv.ParseUint(req.Args[1], 10, 64)
	if err != nil || id == 0 {
		return nil
	}
	c := req.Community
	fulfil := req.Args[0] == "ok"
	at := req.Now()
	p := periodsAt(at, c.Location)
	r, err := m.store.Settle(ctx, c.ID, id, fulfil, req.Event.From.Key(), func(r Redemption, st *State) {
		st.post(Entry{Time: at, Delta: r.Cost, Reason: ReasonRefund, Ref: r.Item, Actor: req.Event.From.Key()}, p.week, p.month)
	}, at)
	switch {
	case errors.Is(err, ErrNoRedemption):
		return nil
	case errors.Is(err, ErrSettled):
		return bot.Errorf("shop.already_settled", bot.Args{"id": id, "status": req.T("shop.status."+r.Status, nil)})
	case err != nil:
		return err
	}
	item := r.Item
	if it, ok := m.settings.For(c.ID).item(r.Item); ok {
		item = it.Name
	}
	name := memberName(ctx, req, r.Member)
	args := bot.Args{"id": r.ID, "name": name, "item": item, "cost": r.Cost, "moderator": req.Event.From.Display()}
	if mem, ok, err := req.Bot.Members().Member(ctx, c.ID, r.Member); err == nil && ok {
		lang := req.Bot.LangFor(c, mem.Lang)
		if _, err := req.Bot.SendMember(ctx, mem, bot.Outgoing{Text: req.Bot.T(lang, "shop.member_"+r.Status, args)}); err != nil {
			zerolog.Ctx(ctx).Info().Err(err).Msg("telling the member about their redemption failed")
		}
	}
	return req.ReplyText(ctx, "shop.settled_"+r.Status, args)
}
