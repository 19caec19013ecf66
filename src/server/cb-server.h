/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/cb-store.h"

G_BEGIN_DECLS

/*
 * calbench-server: the lab's central store behind HTTPS.  A JSON API under
 * /api/v1 for the benches (login, sync push and pull, master data,
 * conflicts, certificate issuance), every call authorised by role on the
 * server; and public pages without login: /verify/NUMBER for a
 * certificate and /status/ORDER?code=CODE for an order, rate limited per
 * client address.  TLS 1.2 and 1.3 only.
 */

#define CB_SERVER_ERROR (cb_server_error_quark ())

typedef enum
{
  CB_SERVER_ERROR_CONFIG,   /* the configuration file: names the key */
  CB_SERVER_ERROR_TLS,      /* the certificate or key */
  CB_SERVER_ERROR_LISTEN,
} CbServerError;

/* The priority string the server's TLS runs with: TLS 1.0 and 1.1 refused. */
#define CB_SERVER_TLS_PRIORITY "NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

typedef struct
{
  char   *address;             /* listen address; NULL for every interface */
  guint   port;                /* 0: any free port */
  char   *database;
  char   *tls_certificate;     /* PEM */
  char   *tls_key;             /* PEM */
  char   *public_url;          /* what the QR codes and pages link to; NULL: the listening URL */
  gsize   max_body;            /* bytes; larger requests get 413 */
  guint   token_lifetime;      /* seconds */
  guint   public_rate;         /* public page requests per minute per client address */
  char   *status_secret;       /* keys the order status codes */
  char   *certificate_prefix;  /* numbers are PREFIX + year + "-" + sequence */
  guint   certificate_digits;
  char   *certificate_keys;    /* the signing keys' folder (cb-keys.h); NULL: no issuing */
  char   *certificate_lab;     /* the lab's details (JSON); NULL: the built-in demo lab */
} CbServerConfig;

/* Renders and signs @record_id as certificate @number of @kind (original,
 * supplement or replacement of the certificate numbered @replaces): the
 * signed PDF's bytes, or NULL with @error. */
typedef GBytes *(*CbCertificateRenderFunc) (CbStore     *store,
                                            gint64       record_id,
                                            const char  *number,
                                            const char  *kind,
                                            const char  *replaces,
                                            gpointer     user_data,
                                            GError     **error);

#define CB_TYPE_SERVER (cb_server_get_type ())

G_DECLARE_FINAL_TYPE (CbServer, cb_server, CB, SERVER, GObject)

GQuark          cb_server_error_quark     (void);

CbServerConfig *cb_server_config_new      (void);
void            cb_server_config_free     (CbServerConfig  *config);
/* Reads a keyfile: group [server] (address, port, database,
 * tls_certificate, tls_key, public_url, max_body, token_lifetime,
 * public_rate, status_secret) and [certificates] (prefix, digits);
 * relative paths are relative to the file. */
CbServerConfig *cb_server_config_load     (const char      *path,
                                           GError         **error);
gboolean        cb_server_config_save     (const CbServerConfig *config,
                                           const char      *path,
                                           GError         **error);

/* Makes a self-signed certificate for @hostname (and 127.0.0.1 and ::1)
 * with a new key, both PEM. */
gboolean        cb_server_make_certificate (const char     *certificate_path,
                                           const char      *key_path,
                                           const char      *hostname,
                                           GError         **error);
/* A demo lab in @dir: lab.db from the demo, a self-signed certificate, and
 * server.conf on loopback port 0; returns the configuration's path. */
char           *cb_server_make_demo       (const char      *dir,
                                           GError         **error);

/* Sets G_TLS_GNUTLS_PRIORITY to CB_SERVER_TLS_PRIORITY: call before any
 * TLS connection is made in the process. */
void            cb_server_init_tls        (void);

/* Opens the database (migrating it) and loads the certificate. */
CbServer       *cb_server_new             (const CbServerConfig *config,
                                           GError         **error);
gboolean        cb_server_listen          (CbServer        *self,
                                           GError         **error);
guint           cb_server_get_port        (CbServer        *self);
/* https://ADDRESS:PORT, as the server listens. */
char           *cb_server_get_url         (CbServer        *self);
CbStore        *cb_server_get_store       (CbServer        *self);
void            cb_server_set_renderer    (CbServer        *self,
                                           CbCertificateRenderFunc render,
                                           gpointer         user_data,
                                           GDestroyNotify   destroy);
/* Issues certificates rendered with the lab's details in @lab_path (NULL:
 * the built-in demo lab) and signed with the keys in @keys_dir. */
gboolean        cb_server_use_certificate_keys (CbServer   *self,
                                           const char      *keys_dir,
                                           const char      *lab_path,
                                           GError         **error);
/* The code a customer gives with /status/ORDER. */
char           *cb_server_order_code      (CbServer        *self,
                                           const char      *order_number);

/* The program: calbench-server --config FILE | --demo DIR. */
int             cb_server_main            (int              argc,
                                           char           **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbServerConfig, cb_server_config_free)

G_END_DECLS
