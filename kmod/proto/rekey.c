// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Key generation bookkeeping of one connection. See rekey.h.
 */
#include "rekey.h"

void tcpc_rekey_init(struct tcpc_rekey *rk)
{
	memset(rk, 0, sizeof(*rk));
}

/**
 * tcpc_rekey_rx_gen() - the generation that opens the peer's next frame
 * @rk: the connection's generations
 * @rekey: the frame's rekey bit (authenticated only once opened)
 * @tx_gen: generation of our newest frame
 * @tx_fin: our FINp frame was sent: we owe the peer no more frames
 * @gen: receives the generation
 *
 * Return: 0; -EAGAIN when the frame must wait (the peer retransmits it):
 * its key set is not prepared yet, or it would make us owe the peer a
 * rekey frame while the one we owe already is not sent yet (our frames
 * may only step one generation at a time).
 */
int tcpc_rekey_rx_gen(const struct tcpc_rekey *rk, bool rekey, u32 tx_gen,
		      bool tx_fin, u32 *gen)
{
	u32 g = rk->remote + rekey;

	if (g > rk->ready)
		return -EAGAIN;
	if (g > rk->local && tx_gen != rk->local && !tx_fin)
		return -EAGAIN;
	*gen = g;
	return 0;
}

/**
 * tcpc_rekey_rx_commit() - a frame of the peer was authenticated
 * @rk: the connection's generations
 * @rekey: its rekey bit
 * @wire_off: its wire offset
 *
 * Return: true when our local generation followed the peer's: the caller
 * must send a frame with rekey = 1 at once (an empty one if need be),
 * unless its FIN was sent.
 */
bool tcpc_rekey_rx_commit(struct tcpc_rekey *rk, bool rekey, u64 wire_off)
{
	if (!rekey)
		return false;
	rk->remote++;
	rk->rekeys_rcvd++;
	rk->peer_start[tcpc_rekey_slot(rk->remote)] = wire_off;
	if (rk->remote <= rk->local)
		return false;
	rk->local = rk->remote;
	rk->sealed = 0;
	return true;
}

/*
 * The generation of an authenticated frame of the peer at @wire_off, one
 * not yet accepted by the local TCP (so not after tcpc_rekey_peer_done())
 */
u32 tcpc_rekey_gen_at(const struct tcpc_rekey *rk, u64 wire_off)
{
	u32 g;

	for (g = rk->remote; g > rk->oldest; g--)
		if (wire_off >= rk->peer_start[tcpc_rekey_slot(g)])
			return g;
	return rk->oldest;
}

/**
 * tcpc_rekey_rx_accepted() - the local TCP accepted the peer's frames
 * @rk: the connection's generations
 * @wire_base: wire offset below which every frame was accepted
 *
 * Older generations no frame can need any more are retired.
 *
 * Return: true when some were (their key sets may be freed).
 */
bool tcpc_rekey_rx_accepted(struct tcpc_rekey *rk, u64 wire_base)
{
	bool moved = false;

	while (rk->oldest < rk->remote &&
	       wire_base >= rk->peer_start[tcpc_rekey_slot(rk->oldest + 1)]) {
		rk->oldest++;
		moved = true;
	}
	return moved;
}

/*
 * The local TCP accepted the peer's FINp frame and all before it: no frame
 * of the peer will be opened again, so no peer generation is needed any
 * more, and no answer to our rekeys can come.
 */
void tcpc_rekey_peer_done(struct tcpc_rekey *rk)
{
	rk->peer_done = true;
	rk->oldest = rk->local;
}

/**
 * tcpc_rekey_tx_gen() - the generation to seal our next new frame with
 * @rk: the connection's generations
 * @limit: data bytes after which we start a new generation; 0: never
 * @tx_gen: generation of our newest frame
 * @gen: receives the generation
 *
 * A new generation starts only when the peer answered our last one
 * (remote == local), nothing owed is unsent, and its key set is ready;
 * otherwise the current one goes on.
 *
 * Return: true when this frame starts a new generation we initiated.
 */
bool tcpc_rekey_tx_gen(struct tcpc_rekey *rk, u64 limit, u32 tx_gen,
		       u32 *gen)
{
	bool start = limit && rk->sealed >= limit &&
		     !tcpc_rekey_start(rk, tx_gen);

	*gen = rk->local;
	return start;
}

/**
 * tcpc_rekey_start() - start a new generation now, if one may start
 * @rk: the connection's generations
 * @tx_gen: generation of our newest frame
 *
 * As for tcpc_rekey_tx_gen(), but whatever was sealed: a keep-alive probe
 * (RFC 8548 section 3.9) starts a generation to have the peer answer with
 * a frame of its own. The caller sends a frame with rekey = 1 at once.
 *
 * Return: 0 when rk->local moved to a new generation; -EBUSY when none may
 * start (the peer has not answered our last one, or a frame we owe it is
 * not sent); -EAGAIN when one may but its key set is not built yet.
 */
int tcpc_rekey_start(struct tcpc_rekey *rk, u32 tx_gen)
{
	if ((rk->remote != rk->local && !rk->peer_done) ||
	    tx_gen != rk->local)
		return -EBUSY;
	if (rk->ready <= rk->local)
		return -EAGAIN;
	rk->local++;
	rk->sealed = 0;
	if (rk->peer_done)
		rk->oldest = rk->local;
	return 0;
}

/* A new frame of @dlen data bytes (@rekey: the first of its generation) */
void tcpc_rekey_tx_sealed(struct tcpc_rekey *rk, u32 dlen, bool rekey)
{
	rk->sealed += dlen;
	rk->rekeys_sent += rekey;
}

/**
 * tcpc_rekey_want() - the key set to prepare next, if any
 * @rk: the connection's generations
 * @gen: receives its generation (ready + 1)
 *
 * Return: true when a set ahead of local is missing (one; two once either
 * side rekeyed) and its slot is free of generations still needed.
 */
bool tcpc_rekey_want(const struct tcpc_rekey *rk, u32 *gen)
{
	u32 ahead = rk->local || rk->remote ? TCPC_REKEY_AHEAD : 1;

	if (rk->ready >= rk->local + ahead ||
	    rk->ready + 1 - rk->oldest >= TCPC_REKEY_GENS)
		return false;
	*gen = rk->ready + 1;
	return true;
}

/* The key set of @gen (ready + 1) was built: -EINVAL if out of turn */
int tcpc_rekey_prepared(struct tcpc_rekey *rk, u32 gen)
{
	u32 want;

	if (!tcpc_rekey_want(rk, &want) || gen != want)
		return -EINVAL;
	rk->ready = gen;
	return 0;
}

/* Whether the key set of @gen is in use or prepared */
bool tcpc_rekey_needed(const struct tcpc_rekey *rk, u32 gen)
{
	return gen >= rk->oldest && gen <= rk->ready;
}
