/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Accounts: passwords hashed with PBKDF2-HMAC-SHA256 and a unique 16-byte
 * salt; an account locks after repeated failures; every login and failure
 * is logged.  Signing asks for the password again (cb_store_reauthenticate).
 */

#define CB_ACCOUNT_MIN_ITERATIONS 600000
#define CB_ACCOUNT_MAX_FAILURES   5
#define CB_ACCOUNT_LOCK_MINUTES   15

typedef enum
{
  CB_PASSWORD_POLICY_PRODUCTION, /* at least CB_ACCOUNT_MIN_ITERATIONS */
  CB_PASSWORD_POLICY_TEST,       /* a low count, only where a test asks for it */
} CbPasswordPolicy;

/* Sets @store's iteration count for new passwords: the production count
 * unless a test explicitly asks for the test policy. */
void      cb_store_set_password_policy (CbStore           *store,
                                        CbPasswordPolicy   policy);
gboolean  cb_store_set_password        (CbStore           *store,
                                        gint64             staff_id,
                                        const char        *password,
                                        const char        *reason,
                                        GError           **error);
/* Checks @login's password; on success returns the staff id.  Fails with
 * CB_STORE_ERROR_PERMISSION for a wrong password or a locked account, and
 * logs either way. */
gint64    cb_store_login               (CbStore           *store,
                                        const char        *login,
                                        const char        *password,
                                        GError           **error);
/* The second component of an electronic signature: the password again. */
gboolean  cb_store_reauthenticate      (CbStore           *store,
                                        gint64             staff_id,
                                        const char        *password,
                                        GError           **error);

/* One person's credentials as the store keeps them (never the password):
 * what a bench needs to log people in while offline. */
typedef struct
{
  char   *login;
  GBytes *hash;          /* PBKDF2-SHA-256 */
  GBytes *salt;
  guint   iterations;
  char   *locked_until;  /* UTC, or NULL */
} CbCredentials;

void       cb_credentials_free          (CbCredentials     *credentials);
/* The credentials of every active person with a password. */
GPtrArray *cb_store_credentials_export  (CbStore           *store,
                                         GError           **error);
/* The credentials of @login alone (none when it has no password here);
 * NULL: everyone's, as cb_store_credentials_export(). */
GPtrArray *cb_store_credentials_export_login (CbStore       *store,
                                         const char        *login,
                                         GError           **error);
/* Takes @credentials (CbCredentials) for the people of the same logins
 * here, in one transaction: a login unknown here, a hash or salt of the
 * wrong length or no iterations refuses them all, naming the login. */
gboolean   cb_store_credentials_import  (CbStore           *store,
                                         GPtrArray         *credentials,
                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCredentials, cb_credentials_free)

G_END_DECLS
