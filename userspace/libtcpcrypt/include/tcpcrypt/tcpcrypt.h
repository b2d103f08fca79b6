/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libtcpcrypt: what applications ask of tcpcrypt (RFC 8548).
 *
 * This is the interface of the original tcpcrypt library, kept so that
 * programs written for it build unchanged: link with -ltcpcrypt, or use
 * `pkg-config --cflags --libs libtcpcrypt`.
 *
 * The library asks tcpcryptd over its control socket. Which socket:
 *   1. the path given to tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, path),
 *   2. else the TCPCRYPT_CTLPATH environment variable (ignored in
 *      set-user-ID programs),
 *   3. else TCPCRYPT_DEFAULT_CTLPATH.
 * "/some/path" names a unix socket; ":port" names 127.0.0.1:port (see
 * tcpcryptd -u).
 */
#ifndef TCPCRYPT_TCPCRYPT_H
#define TCPCRYPT_TCPCRYPT_H

#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Option names for tcpcrypt_getsockopt() and tcpcrypt_setsockopt(), at
 * level IPPROTO_TCP.
 *
 * Available now:
 *   TCP_CRYPT_SESSID (get)    the connection's session ID, 33 bytes
 *   TCP_CRYPT_NOCACHE (set)   int: non-zero = cache no session secret of
 *                             this socket's connections for resumption
 *                             (RFC 8548 section 3.5); on a connected
 *                             socket it also forgets the one its
 *                             connection cached. 0 = cache again.
 *   TCP_CRYPT_NORESUME (set)  int: non-zero = ignore resumption: offer
 *                             none, answer offers with a fresh key
 *                             exchange. Set it before connect(), or on a
 *                             listening socket for the connections it
 *                             accepts. 0 = resume again.
 * Both work on a socket before connect() (they go with the connection it
 * opens next, within 600 seconds), on a listening socket (every
 * connection it accepts, while it listens) and on a connected one. The
 * socket itself travels to tcpcryptd, so they need a unix control socket.
 *
 * Per-socket settings that the module does not offer: getting or setting
 * them fails with ENOPROTOOPT rather than pretending to work.
 *   TCP_CRYPT_ENABLE, TCP_CRYPT_CMODE, TCP_CRYPT_APP_SUPPORT,
 *   TCP_CRYPT_RESET; getting TCP_CRYPT_NOCACHE or TCP_CRYPT_NORESUME
 *
 * Not offered any more, also ENOPROTOOPT:
 *   TCP_CRYPT_RSA_KEY   (RFC 8548 has no RSA key exchange)
 *   TCP_CRYPT_NETSTAT   (use tcnetstat(8) or tcpcrypt_getsessid())
 */
#define TCP_CRYPT_ENABLE	0
#define TCP_CRYPT_CMODE		1
#define TCP_CRYPT_SESSID	2
#define TCP_CRYPT_RSA_KEY	3
#define TCP_CRYPT_APP_SUPPORT	15
#define TCP_CRYPT_RESET		100
#define TCP_CRYPT_NOCACHE	101
#define TCP_CRYPT_NETSTAT	102
#define TCP_CRYPT_NORESUME	103

/* Parameters for tcpcrypt_setparam() */
#define TCPCRYPT_PARAM_CTLPATH	0

#define TCPCRYPT_DEFAULT_CTLPATH	"/run/tcpcryptd.control"

/*
 * Length of an RFC 8548 session ID: the TEP byte, then 32 bytes. (The
 * original library had 32; RFC 8548 session IDs are 33 bytes long.)
 */
#define TCPCRYPT_SID_MAXLEN	33

/*
 * TCPCRYPT_PARAM_CTLPATH: val is a NUL-terminated string (copied), or NULL
 * to go back to the environment or the default. Unknown parameters are
 * ignored and set errno to EINVAL.
 */
void tcpcrypt_setparam(int param, void *val);

/*
 * getsockopt(TCP_CRYPT_SESSID) of a connected TCP socket (IPv4 or IPv6).
 * On success copies TCPCRYPT_SID_MAXLEN bytes to optval, sets *optlen to
 * TCPCRYPT_SID_MAXLEN and returns 0. Otherwise returns -1 with errno:
 *   EBADF, ENOTSOCK  s is not an open socket
 *   ENOPROTOOPT      s is not a TCP socket, or the option is not
 *                    available (see above)
 *   EINVAL           level is not IPPROTO_TCP, unknown optname, NULL
 *                    optval/optlen, or *optlen < TCPCRYPT_SID_MAXLEN
 *   ENOTCONN         s is not connected
 *   ENOENT           the connection is not protected by tcpcrypt (or its
 *                    key exchange has not finished): it has no session ID
 *   ECONNREFUSED     tcpcryptd is not running: nothing listens on the
 *                    control socket, or the socket file does not exist
 *   EACCES           the control socket may not be opened by this user
 *   ETIMEDOUT        tcpcryptd did not answer within 5 seconds
 *   EPROTO           tcpcryptd sent a reply this library cannot parse
 *   ENAMETOOLONG     the control socket path is too long
 */
int tcpcrypt_getsockopt(int s, int level, int optname, void *optval,
			socklen_t *optlen);

/*
 * TCP_CRYPT_NOCACHE or TCP_CRYPT_NORESUME with an int: returns 0, or -1
 * with errno:
 *   EBADF, ENOTSOCK  s is not an open socket
 *   ENOPROTOOPT      s is not a TCP socket, or the option cannot be set
 *   EINVAL           level is not IPPROTO_TCP, unknown optname, NULL
 *                    optval, or optlen is not sizeof(int)
 *   EOPNOTSUPP       the control socket is a TCP port (tcpcryptd -u :port),
 *                    over which a socket cannot travel
 *   ENOSPC           the module holds too many socket policies
 *   EDQUOT           the calling user set 256 policies before connect()
 *                    or on listeners within 10 minutes (root excepted)
 *   EINPROGRESS      a non-blocking connect() of s is in progress: set the
 *                    policy before connect(), or once it completed
 *   EXDEV            s belongs to another network namespace than the
 *                    tcpcryptd of the control socket
 *   ECONNREFUSED, EACCES, ETIMEDOUT, EPROTO, ENAMETOOLONG
 *                    as for tcpcrypt_getsockopt()
 */
int tcpcrypt_setsockopt(int s, int level, int optname, const void *optval,
			socklen_t optlen);

/*
 * The session ID of the connection remote_ip:remote_port <->
 * local_ip:local_port as TCPCRYPT_SID_MAXLEN * 2 upper-case hex digits, in
 * a buffer of the calling thread that the next call overwrites. Ports are
 * in host byte order. local_ip may be NULL (any local address) and
 * local_port 0 (any local port). Returns NULL with errno on failure: the
 * errors of tcpcrypt_getsockopt(), EINVAL for an address that does not
 * parse, ENOTUNIQ when "any" matches more than one connection.
 */
char *tcpcrypt_getsessid(char *remote_ip, uint16_t remote_port,
			 char *local_ip, uint16_t local_port);

#ifdef __cplusplus
}
#endif

#endif /* TCPCRYPT_TCPCRYPT_H */
