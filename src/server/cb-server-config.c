/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cb-server.h"
#include "certificate/cb-certificate.h"
#include "certificate/cb-keys.h"
#include "store/cb-store-demo.h"

#define GROUP "server"
#define CERTIFICATES_GROUP "certificates"

CbServerConfig *
cb_server_config_new (void)
{
  CbServerConfig *config = g_new0 (CbServerConfig, 1);

  config->max_body = 4 * 1024 * 1024;
  config->token_lifetime = 12 * 3600;
  config->public_rate = 60;
  config->status_secret = g_strdup ("");
  config->certificate_prefix = g_strdup ("JD");
  config->certificate_digits = 6;
  return config;
}

void
cb_server_config_free (CbServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->address);
  g_free (config->database);
  g_free (config->tls_certificate);
  g_free (config->tls_key);
  g_free (config->public_url);
  g_free (config->status_secret);
  g_free (config->certificate_prefix);
  g_free (config->certificate_keys);
  g_free (config->certificate_lab);
  g_free (config);
}

/* A path from the file, relative to the file's folder. */
static char *
read_path (GKeyFile   *file,
           const char *group,
           const char *key,
           const char *base)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  if (value == NULL || *value == '\0')
    return NULL;
  if (g_path_is_absolute (value))
    return g_steal_pointer (&value);
  return g_build_filename (base, value, NULL);
}

static gboolean
read_uint (GKeyFile    *file,
           const char  *group,
           const char  *key,
           guint64      minimum,
           guint64      maximum,
           guint64     *value,
           GError     **error)
{
  g_autofree char *text = g_key_file_get_string (file, group, key, NULL);

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (g_strstrip (text), 10, minimum, maximum, value, NULL))
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG,
                   _("[%s] %s: expected a whole number from %llu to %llu"),
                   group, key, (unsigned long long) minimum, (unsigned long long) maximum);
      return FALSE;
    }
  return TRUE;
}

CbServerConfig *
cb_server_config_load (const char  *path,
                       GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  CbServerConfig *config;
  guint64 port = 0, max_body, lifetime, rate, digits;
  char *text;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG, "%s: %s", path, local_error->message);
      return NULL;
    }
  {
    g_autofree char *absolute = g_canonicalize_filename (path, NULL);

    base = g_path_get_dirname (absolute);
  }

  config = cb_server_config_new ();
  max_body = config->max_body;
  lifetime = config->token_lifetime;
  rate = config->public_rate;
  digits = config->certificate_digits;
  config->address = g_key_file_get_string (file, GROUP, "address", NULL);
  config->database = read_path (file, GROUP, "database", base);
  config->tls_certificate = read_path (file, GROUP, "tls_certificate", base);
  config->tls_key = read_path (file, GROUP, "tls_key", base);
  config->public_url = g_key_file_get_string (file, GROUP, "public_url", NULL);
  config->certificate_keys = read_path (file, CERTIFICATES_GROUP, "keys", base);
  config->certificate_lab = read_path (file, CERTIFICATES_GROUP, "lab", base);
  if ((text = g_key_file_get_string (file, GROUP, "status_secret", NULL)) != NULL)
    {
      g_free (config->status_secret);
      config->status_secret = text;
    }
  if ((text = g_key_file_get_string (file, CERTIFICATES_GROUP, "prefix", NULL)) != NULL)
    {
      g_free (config->certificate_prefix);
      config->certificate_prefix = text;
    }
  if (!read_uint (file, GROUP, "port", 0, 65535, &port, error) ||
      !read_uint (file, GROUP, "max_body", 1024, G_MAXUINT32, &max_body, error) ||
      !read_uint (file, GROUP, "token_lifetime", 1, G_MAXUINT32, &lifetime, error) ||
      !read_uint (file, GROUP, "public_rate", 1, 100000, &rate, error) ||
      !read_uint (file, CERTIFICATES_GROUP, "digits", 1, 12, &digits, error))
    {
      g_prefix_error (error, "%s: ", path);
      cb_server_config_free (config);
      return NULL;
    }
  config->port = (guint) port;
  config->max_body = (gsize) max_body;
  config->token_lifetime = (guint) lifetime;
  config->public_rate = (guint) rate;
  config->certificate_digits = (guint) digits;
  if (config->database == NULL || config->tls_certificate == NULL || config->tls_key == NULL)
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG,
                   _("%s: [server] needs database, tls_certificate and tls_key"), path);
      cb_server_config_free (config);
      return NULL;
    }
  if (strlen (config->status_secret) < 16)
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG,
                   _("%s: [server] status_secret: expected at least 16 characters"), path);
      cb_server_config_free (config);
      return NULL;
    }
  return config;
}

gboolean
cb_server_config_save (const CbServerConfig  *config,
                       const char            *path,
                       GError               **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  if (config->address != NULL)
    g_key_file_set_string (file, GROUP, "address", config->address);
  g_key_file_set_integer (file, GROUP, "port", (int) config->port);
  g_key_file_set_string (file, GROUP, "database", config->database);
  g_key_file_set_string (file, GROUP, "tls_certificate", config->tls_certificate);
  g_key_file_set_string (file, GROUP, "tls_key", config->tls_key);
  if (config->public_url != NULL)
    g_key_file_set_string (file, GROUP, "public_url", config->public_url);
  g_key_file_set_uint64 (file, GROUP, "max_body", config->max_body);
  g_key_file_set_integer (file, GROUP, "token_lifetime", (int) config->token_lifetime);
  g_key_file_set_integer (file, GROUP, "public_rate", (int) config->public_rate);
  g_key_file_set_string (file, GROUP, "status_secret", config->status_secret);
  g_key_file_set_string (file, CERTIFICATES_GROUP, "prefix", config->certificate_prefix);
  g_key_file_set_integer (file, CERTIFICATES_GROUP, "digits", (int) config->certificate_digits);
  if (config->certificate_keys != NULL)
    g_key_file_set_string (file, CERTIFICATES_GROUP, "keys", config->certificate_keys);
  if (config->certificate_lab != NULL)
    g_key_file_set_string (file, CERTIFICATES_GROUP, "lab", config->certificate_lab);
  return g_key_file_save_to_file (file, path, error);
}

static gboolean
gnutls_failed (int          rc,
               const char  *what,
               GError     **error)
{
  if (rc >= 0)
    return FALSE;
  g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_TLS, _("making the certificate: %s: %s"), what,
               gnutls_strerror (rc));
  return TRUE;
}

static gboolean
write_datum (const char      *path,
             gnutls_datum_t  *datum,
             int              mode,
             GError         **error)
{
  gboolean ok = g_file_set_contents_full (path, (const char *) datum->data, datum->size,
                                          G_FILE_SET_CONTENTS_CONSISTENT, mode, error);

  gnutls_free (datum->data);
  datum->data = NULL;
  return ok;
}

gboolean
cb_server_make_certificate (const char  *certificate_path,
                            const char  *key_path,
                            const char  *hostname,
                            GError     **error)
{
  static const guint8 loopback4[] = { 127, 0, 0, 1 };
  static const guint8 loopback6[16] = { [15] = 1 };
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t out = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  gboolean ok = FALSE;

  if (gnutls_failed (gnutls_x509_privkey_init (&key), "key", error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     "key", error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), "certificate", error) ||
      gnutls_failed (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "serial", error))
    goto out;
  serial[0] &= 0x7f;  /* a positive serial number */
  if (gnutls_failed (gnutls_x509_crt_set_version (crt, 3), "version", error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 3600), "dates", error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, now + 825 * 24 * 3600), "dates", error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, hostname,
                                                    strlen (hostname)), "name", error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "Calbench",
                                                    strlen ("Calbench")), "name", error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, hostname, strlen (hostname),
                                                           GNUTLS_FSAN_APPEND), "names", error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback4, sizeof loopback4,
                                                           GNUTLS_FSAN_APPEND), "names", error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback6, sizeof loopback6,
                                                           GNUTLS_FSAN_APPEND), "names", error) ||
      /* Its own authority, so that a client can trust exactly this file. */
      gnutls_failed (gnutls_x509_crt_set_basic_constraints (crt, 1, 0), "constraints", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN),
                     "usage", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose", error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), "key", error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature", error))
    goto out;

  if (gnutls_failed (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out),
                     "key", error) ||
      !write_datum (key_path, &out, 0600, error) ||
      gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out), "certificate", error) ||
      !write_datum (certificate_path, &out, 0644, error))
    goto out;
  ok = TRUE;

out:
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

static char *
random_hex (guint n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  GString *hex = g_string_sized_new (2 * n_bytes);

  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, n_bytes) != 0)
    for (guint i = 0; i < n_bytes; i++)
      bytes[i] = (guint8) g_random_int ();
  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

char *
cb_server_make_demo (const char  *dir,
                     GError     **error)
{
  g_autoptr(CbServerConfig) config = cb_server_config_new ();
  g_autofree char *path = g_build_filename (dir, "server.conf", NULL);
  CbStore *store;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG, _("%s: cannot create the folder"), dir);
      return NULL;
    }
  config->address = g_strdup ("127.0.0.1");
  config->port = 0;
  config->database = g_build_filename (dir, "lab.db", NULL);
  config->tls_certificate = g_build_filename (dir, "server.crt", NULL);
  config->tls_key = g_build_filename (dir, "server.key", NULL);
  g_free (config->status_secret);
  config->status_secret = random_hex (16);

  if (!g_file_test (config->database, G_FILE_TEST_EXISTS))
    {
      store = cb_store_open (config->database, error);
      if (store == NULL)
        return NULL;
      ok = cb_store_demo_populate (store, error);
      cb_store_close (store);
      if (!ok)
        return NULL;
    }
  /* The demo lab signs its certificates with keys of its own. */
  config->certificate_keys = g_build_filename (dir, "keys", NULL);
  {
    g_autofree char *signing = cb_keys_certificate_path (config->certificate_keys);
    g_autoptr(CbLab) lab = cb_lab_new_default ();

    if (!g_file_test (signing, G_FILE_TEST_EXISTS)
        && !cb_keys_init (config->certificate_keys, cb_lab_get_name (lab), error))
      return NULL;
  }
  if (!cb_server_make_certificate (config->tls_certificate, config->tls_key, "localhost", error) ||
      !cb_server_config_save (config, path, error))
    return NULL;
  return g_steal_pointer (&path);
}
