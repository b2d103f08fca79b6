// SPDX-License-Identifier: GPL-2.0
/* The stream checksum of ktls_bench: see stream_sum.h. */
#include <string.h>

#include "stream_sum.h"

void stream_sum_init(struct stream_sum *s)
{
	memset(s, 0, sizeof(*s));
}

static inline void add_word(struct stream_sum *s, uint64_t w)
{
	s->s1 += w;
	s->s2 += s->s1;
}

void stream_sum_update(struct stream_sum *s, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t w;
	size_t take;

	s->bytes += len;
	if (s->npart) {
		take = 8 - s->npart;
		if (take > len)
			take = len;
		memcpy(s->part + s->npart, p, take);
		s->npart += (unsigned int)take;
		p += take;
		len -= take;
		if (s->npart < 8)
			return;
		memcpy(&w, s->part, 8);
		add_word(s, w);
		s->npart = 0;
	}
	/* both ends run on one machine: no byte-order conversion needed */
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		add_word(s, w);
	}
	memcpy(s->part, p, len);
	s->npart = (unsigned int)len;
}

void stream_sum_final(const struct stream_sum *s, uint64_t out[2])
{
	struct stream_sum t = *s;
	uint64_t w = 0;

	if (t.npart) {
		memcpy(&w, t.part, t.npart);
		add_word(&t, w);
	}
	/* the length too: trailing zero bytes are not free */
	add_word(&t, t.bytes);
	out[0] = t.s1;
	out[1] = t.s2;
}
