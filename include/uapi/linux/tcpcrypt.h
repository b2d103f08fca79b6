/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * tcpcrypt (RFC 8548) / TCP-ENO (RFC 8547): the generic netlink contract
 * between tcpcrypt.ko and its userspace (tcpcryptd, tcpcryptctl, tcnetstat).
 *
 * Documentation/netlink/specs/tcpcrypt.yaml is the description of this
 * family; tools/check-uapi.py verifies that this header matches it.
 */
#ifndef _UAPI_LINUX_TCPCRYPT_H
#define _UAPI_LINUX_TCPCRYPT_H

#include <linux/types.h>

#define TCPCRYPT_GENL_NAME	"tcpcrypt"
#define TCPCRYPT_GENL_VERSION	1

/* TCP option kind of TCP-ENO (RFC 8547 section 4.1) */
#define TCPOPT_ENO		69

/* TEP identifiers (RFC 8548 section 7) */
enum tcpcrypt_tep {
	TCPCRYPT_TEP_P256	= 0x21,
	TCPCRYPT_TEP_P521	= 0x22,
	TCPCRYPT_TEP_X25519	= 0x23,
	TCPCRYPT_TEP_X448	= 0x24,
};

/* AEAD identifiers (RFC 8548 section 7) */
enum tcpcrypt_aead {
	TCPCRYPT_AEAD_AES_128_GCM	= 0x0001,
	TCPCRYPT_AEAD_AES_256_GCM	= 0x0002,
	TCPCRYPT_AEAD_CHACHA20_POLY1305	= 0x0010,
};

/* Session ID: TEP byte as B sent it, then 32 bytes (RFC 8548 section 3.4) */
#define TCPCRYPT_SESSID_LEN	33

enum {
	TCPCRYPT_CMD_UNSPEC,
	/* daemon -> kernel: bind the sending socket as this netns's daemon */
	TCPCRYPT_CMD_DAEMON_REGISTER,
	/* daemon -> kernel: release the registration */
	TCPCRYPT_CMD_DAEMON_UNREGISTER,
	/* anyone -> kernel: daemon state, offered TEPs/AEADs, counters */
	TCPCRYPT_CMD_STATUS_GET,
	/* admin -> kernel: zero the counters of this netns */
	TCPCRYPT_CMD_STATS_RESET,
	/* anyone -> kernel: protected connections (dump, or one by 4-tuple) */
	TCPCRYPT_CMD_CONN_GET,
	/*
	 * kernel -> registered daemon (unicast): a connection needs key
	 * agreement work; TCPCRYPT_A_KEX_OP says which (enum tcpcrypt_kex_op).
	 */
	TCPCRYPT_CMD_KEX_REQUEST,
	/* registered daemon -> kernel: the answer to a KEX_REQUEST */
	TCPCRYPT_CMD_KEX_REPLY,
	/* admin -> kernel: forget every cached session secret of this netns */
	TCPCRYPT_CMD_SESSIONS_FLUSH,
	/*
	 * admin (tcpcryptd, for the application owning the socket) -> kernel:
	 * the resumption policy of one socket (RFC 8548 section 3.5):
	 * TCPCRYPT_A_SOCK_COOKIE, TCPCRYPT_A_SOCK_KIND, TCPCRYPT_A_SOCK_POLICY
	 * (with TCPCRYPT_A_SOCK_POLICY_MASK: only those flags change), and
	 * TCPCRYPT_A_CONN: the local end of a listening socket, the 4-tuple
	 * of a connected one.
	 */
	TCPCRYPT_CMD_SOCK_POLICY_SET,

	__TCPCRYPT_CMD_MAX,
	TCPCRYPT_CMD_MAX = __TCPCRYPT_CMD_MAX - 1
};

enum {
	TCPCRYPT_A_UNSPEC,
	TCPCRYPT_A_PAD,
	/* u32: pid of the registered daemon (as it announced itself) */
	TCPCRYPT_A_DAEMON_PID,
	/* u32: netlink port id of the registered daemon */
	TCPCRYPT_A_DAEMON_PORTID,
	/* binary: TEP ids, one byte each, in increasing preference */
	TCPCRYPT_A_TEPS,
	/* binary: AEAD ids, big-endian 16-bit each, in decreasing preference */
	TCPCRYPT_A_AEADS,
	/* u8: 1 when a daemon is registered in this netns */
	TCPCRYPT_A_DAEMON_REGISTERED,
	/* string: version of the module or of the daemon */
	TCPCRYPT_A_VERSION,
	/* nest of TCPCRYPT_STATS_A_* */
	TCPCRYPT_A_STATS,
	/* u32: inode number of the network namespace answering */
	TCPCRYPT_A_NETNS_INO,
	/*
	 * u32: packet-diversion selector (tcpcryptd -p): when non-zero, only
	 * connections whose packets carry this firewall mark are offered
	 * TCP-ENO; 0 selects every connection.
	 */
	TCPCRYPT_A_DIVERT_MARK,
	/* nest of TCPCRYPT_CONN_A_*: one protected connection */
	TCPCRYPT_A_CONN,
	/* u64: the module's identifier of a connection in KEX_* messages */
	TCPCRYPT_A_CONN_ID,
	/* u8: enum tcpcrypt_kex_op */
	TCPCRYPT_A_KEX_OP,
	/* u8: negotiated TEP id */
	TCPCRYPT_A_TEP,
	/* binary: TCP-ENO transcript (A's then B's SYN-form option) */
	TCPCRYPT_A_TRANSCRIPT,
	/*
	 * binary: an Init message. In a KEX_REQUEST, the one received from
	 * the peer; in a KEX_REPLY, the one the module must send.
	 */
	TCPCRYPT_A_INIT_MSG,
	/* binary, 32 bytes: the PRK (ss[0]) the module derives keys from */
	TCPCRYPT_A_PRK,
	/* u16: the AEAD chosen for the connection */
	TCPCRYPT_A_AEAD,
	/*
	 * u32: in a KEX_REPLY, a positive errno: key agreement failed (bad
	 * Init message, invalid public key, AEAD not offered...) and the
	 * module must abort the connection.
	 */
	TCPCRYPT_A_KEX_ERROR,
	/* u32: session secrets cached for resumption (RFC 8548 3.5) */
	TCPCRYPT_A_SESSIONS_CACHED,
	/* u64: a socket's SO_COOKIE */
	TCPCRYPT_A_SOCK_COOKIE,
	/* u8: enum tcpcrypt_sock_kind */
	TCPCRYPT_A_SOCK_KIND,
	/* u32: TCPCRYPT_SOCK_* flags; 0 drops the socket's policy */
	TCPCRYPT_A_SOCK_POLICY,
	/* u32: the flags TCPCRYPT_A_SOCK_POLICY sets; the others stay */
	TCPCRYPT_A_SOCK_POLICY_MASK,
	/* u32: the ifindex a listening socket is bound to (SO_BINDTODEVICE) */
	TCPCRYPT_A_SOCK_IFINDEX,

	__TCPCRYPT_A_MAX,
	TCPCRYPT_A_MAX = __TCPCRYPT_A_MAX - 1
};

/* Per-netns counters, all u64 */
enum {
	TCPCRYPT_STATS_A_UNSPEC,
	TCPCRYPT_STATS_A_PAD,
	TCPCRYPT_STATS_A_IPV4_IN,
	TCPCRYPT_STATS_A_IPV4_OUT,
	TCPCRYPT_STATS_A_IPV6_IN,
	TCPCRYPT_STATS_A_IPV6_OUT,
	TCPCRYPT_STATS_A_DAEMON_REGISTRATIONS,
	TCPCRYPT_STATS_A_DAEMON_LOSSES,
	/* SYNs sent with an ENO option (new connections) */
	TCPCRYPT_STATS_A_ENO_OFFERED,
	/* SYNs received with ENO and answered with ENO */
	TCPCRYPT_STATS_A_ENO_ANSWERED,
	/* handshakes that switched encryption on, either role */
	TCPCRYPT_STATS_A_ENO_SUCCEEDED,
	/*
	 * SYNs sent without ENO although a daemon was registered: Fast Open,
	 * SYN data, no room for the option, or a full connection table
	 */
	TCPCRYPT_STATS_A_ENO_NOT_OFFERED,
	/* fallbacks to plain TCP: the peer sent no ENO... */
	TCPCRYPT_STATS_A_FALLBACK_NO_ENO,
	/* ...an ill-formed or duplicated ENO option... */
	TCPCRYPT_STATS_A_FALLBACK_BAD_ENO,
	/* ...no common TEP, or conflicting roles... */
	TCPCRYPT_STATS_A_FALLBACK_NEGOTIATION,
	/* ...or no daemon left to run the key exchange */
	TCPCRYPT_STATS_A_FALLBACK_NO_DAEMON,
	/* received SYNs with ENO whose data was discarded (RFC 8547 4.7) */
	TCPCRYPT_STATS_A_SYN_DATA_DISCARDED,
	/* received SYNs whose MSS was lowered by the frame overhead */
	TCPCRYPT_STATS_A_MSS_CLAMPED,
	/* key agreement requests sent to the daemon */
	TCPCRYPT_STATS_A_KEX_REQUESTS,
	/* key agreements that failed: daemon error, bad reply, timeout */
	TCPCRYPT_STATS_A_KEX_FAILURES,
	/* connections whose keys were installed */
	TCPCRYPT_STATS_A_CONN_ENCRYPTING,
	/* connections aborted (RST both ways) */
	TCPCRYPT_STATS_A_CONN_ABORTS,
	/* connections reset before encryption was on */
	TCPCRYPT_STATS_A_CONN_RESETS,
	/* protected connections forgotten after their socket closed */
	TCPCRYPT_STATS_A_CONN_CLOSED,
	/* entries dropped unused: idle half-open, or 4-tuple reused */
	TCPCRYPT_STATS_A_CONN_EXPIRED,
	/* connections left plain because the connection table was full */
	TCPCRYPT_STATS_A_CONN_TABLE_FULL,
	/*
	 * B: Init1 segments refused after a first ACK without ENO (the
	 * option stripped from the third ACK alone)
	 */
	TCPCRYPT_STATS_A_INIT_REFUSED,
	/* A: fallbacks because the peer answered our Init1 as plain TCP */
	TCPCRYPT_STATS_A_FALLBACK_PEER_PLAIN,
	/* sessions resumed from a cached secret (RFC 8548 3.5), either role */
	TCPCRYPT_STATS_A_SESSIONS_RESUMED,
	/*
	 * probes of the local TCP (keep-alive, zero window) sent as empty
	 * frames starting a key generation (RFC 8548 3.9)
	 */
	TCPCRYPT_STATS_A_PROBE_REKEYS,
	/* such probes sent as plain TCP probes: no generation could start */
	TCPCRYPT_STATS_A_PROBE_PLAIN,

	__TCPCRYPT_STATS_A_MAX,
	TCPCRYPT_STATS_A_MAX = __TCPCRYPT_STATS_A_MAX - 1
};

/* One connection, as seen from the local host */
enum {
	TCPCRYPT_CONN_A_UNSPEC,
	TCPCRYPT_CONN_A_PAD,
	/* u8: AF_INET or AF_INET6 */
	TCPCRYPT_CONN_A_FAMILY,
	/* binary, 4 or 16 bytes, network order */
	TCPCRYPT_CONN_A_LOCAL_ADDR,
	TCPCRYPT_CONN_A_REMOTE_ADDR,
	/* u16, host order */
	TCPCRYPT_CONN_A_LOCAL_PORT,
	TCPCRYPT_CONN_A_REMOTE_PORT,
	/* u8: enum tcpcrypt_role */
	TCPCRYPT_CONN_A_ROLE,
	/* u8: negotiated TEP id */
	TCPCRYPT_CONN_A_TEP,
	/* u16: negotiated AEAD id */
	TCPCRYPT_CONN_A_AEAD,
	/* binary, TCPCRYPT_SESSID_LEN bytes */
	TCPCRYPT_CONN_A_SESSID,
	/* u8: enum tcpcrypt_conn_state */
	TCPCRYPT_CONN_A_STATE,
	/* u64: application bytes carried each way */
	TCPCRYPT_CONN_A_BYTES_IN,
	TCPCRYPT_CONN_A_BYTES_OUT,

	__TCPCRYPT_CONN_A_MAX,
	TCPCRYPT_CONN_A_MAX = __TCPCRYPT_CONN_A_MAX - 1
};

enum tcpcrypt_role {
	TCPCRYPT_ROLE_A = 0,
	TCPCRYPT_ROLE_B = 1,
};

enum tcpcrypt_conn_state {
	TCPCRYPT_CONN_NEGOTIATING = 1,
	TCPCRYPT_CONN_KEY_EXCHANGE,
	TCPCRYPT_CONN_ENCRYPTING,
	TCPCRYPT_CONN_CLOSED,
	TCPCRYPT_CONN_ABORTED,
};

/*
 * Key agreement steps. A: INIT1_NEEDED (reply: INIT_MSG = Init1), then
 * INIT2_RECEIVED with the peer's Init2 (reply: PRK, AEAD). B:
 * INIT1_RECEIVED with the peer's Init1 (reply: INIT_MSG = Init2, PRK,
 * AEAD). Any reply may instead carry KEX_ERROR.
 */
enum tcpcrypt_kex_op {
	TCPCRYPT_KEX_INIT1_NEEDED = 1,
	TCPCRYPT_KEX_INIT1_RECEIVED,
	TCPCRYPT_KEX_INIT2_RECEIVED,
};

/*
 * What a socket is when its policy is set. An unconnected one takes its
 * policy to the connection its next connect() opens (within
 * TCPCRYPT_SOCK_POLICY_TTL seconds); a listening one gives it to every
 * connection it accepts, until it closes; a connected one applies it at
 * once (flushing what it cached, for TCPCRYPT_SOCK_NO_CACHE).
 */
enum tcpcrypt_sock_kind {
	TCPCRYPT_SOCK_UNCONNECTED = 1,
	TCPCRYPT_SOCK_LISTENING,
	TCPCRYPT_SOCK_CONNECTED,
};

#define TCPCRYPT_SOCK_POLICY_TTL	600

/* Per-connection resumption policy (RFC 8548 section 3.5) */
enum {
	/* ignore resumption: offer none, answer offers with a fresh exchange */
	TCPCRYPT_SOCK_NO_RESUME	= 1,
	/* cache no session secret of the connection */
	TCPCRYPT_SOCK_NO_CACHE	= 2,
};

#define TCPCRYPT_SOCK_POLICY_ALL	(TCPCRYPT_SOCK_NO_RESUME | \
					 TCPCRYPT_SOCK_NO_CACHE)

#define TCPCRYPT_PRK_LEN	32
#define TCPCRYPT_MAX_INIT_LEN	2048
#define TCPCRYPT_MAX_TRANSCRIPT_LEN	80

#define TCPCRYPT_MAX_TEPS	16
#define TCPCRYPT_MAX_AEADS	16

#endif /* _UAPI_LINUX_TCPCRYPT_H */
