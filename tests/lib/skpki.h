/*
 * skpki.h: a test PKI made at test time by the openssl command line tool
 * in a mkdtemp directory (the script is in skpki.c): P-256, SM2 and an
 * unrelated anchor, issuers for ES256, SM2 and Ed25519, and broken ones
 * (expired, CA:TRUE, no digitalSignature, no USCC, a foreign anchor, SM2
 * signed with the wrong distinguishing ID).
 */
#ifndef SKPKI_H
#define SKPKI_H

#include "sealkit/key.h"

/* Make the PKI in /tmp/sk-test-TAG-XXXXXX; exits 1 if openssl fails. */
void		 skt_pki_make(const char *tag);
/* Remove the directory. */
void		 skt_pki_cleanup(void);
/* A path inside it (one of 4 rotating static buffers). */
const char	*skt_pki(const char *name);
/* Run a shell command inside it, output discarded; system()'s result. */
int		 skt_pki_sh(const char *cmd);
/* NAME.crt, or exit 1. */
struct sk_cert	*skt_pki_cert(const char *name);
/* A signer over KEYNAME.key with CERTNAME.crt's kid, or exit 1. */
struct sk_signer *skt_pki_signer(const char *keyname, const char *certname);

#endif
