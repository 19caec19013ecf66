/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

#include "cb-certificate.h"
#include "cb-keys.h"

#define DAY (24 * 3600)

static gboolean
keys_error (GError     **error,
            const char  *what,
            int          rc)
{
  g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS, "%s: %s", what, gnutls_strerror (rc));
  return FALSE;
}

/* Writes @datum to @dir/@name; private files are created 0600 before any
 * byte is written. */
static gboolean
write_file (const char            *dir,
            const char            *name,
            const gnutls_datum_t  *datum,
            gboolean               private_key,
            GError               **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, private_key ? 0600 : 0644);
  gsize done = 0;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS, _("%s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (private_key)
    fchmod (fd, 0600);
  while (done < datum->size)
    {
      ssize_t n = write (fd, datum->data + done, datum->size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS, _("%s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS, _("%s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_certificate (gnutls_x509_crt_t      crt,
                  gnutls_x509_privkey_t  key,
                  const char            *common_name,
                  const char            *organisation,
                  gboolean               ca,
                  unsigned int           serial,
                  GError               **error)
{
  time_t now = time (NULL);
  unsigned char serial_bytes[4] = { serial >> 24, serial >> 16, serial >> 8, serial };
  int rc;

  if ((rc = gnutls_x509_crt_set_version (crt, 3)) < 0
      || (rc = gnutls_x509_crt_set_serial (crt, serial_bytes, sizeof serial_bytes)) < 0
      || (rc = gnutls_x509_crt_set_activation_time (crt, now - DAY)) < 0
      || (rc = gnutls_x509_crt_set_expiration_time (crt, now + (ca ? 3650 : 1095) * (time_t) DAY)) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                              (unsigned int) strlen (common_name))) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, organisation,
                                              (unsigned int) strlen (organisation))) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COUNTRY_NAME, 0, "CN", 2)) < 0
      || (rc = gnutls_x509_crt_set_key (crt, key)) < 0
      || (rc = gnutls_x509_crt_set_basic_constraints (crt, ca, -1)) < 0
      || (rc = gnutls_x509_crt_set_key_usage (crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                      : GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION)) < 0)
    return keys_error (error, common_name, rc);
  return TRUE;
}

gboolean
cb_keys_init (const char  *dir,
              const char  *lab_name,
              GError     **error)
{
  gnutls_x509_privkey_t ca_key = NULL, key = NULL;
  gnutls_x509_crt_t ca = NULL, crt = NULL;
  gnutls_datum_t datum = { NULL, 0 };
  g_autofree char *ca_name = g_strdup_printf ("%s CA", lab_name);
  g_autofree char *signer_name = g_strdup_printf ("%s 电子证书签名", lab_name);
  gboolean ok = FALSE;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS, _("%s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  gnutls_x509_privkey_init (&ca_key);
  gnutls_x509_privkey_init (&key);
  gnutls_x509_crt_init (&ca);
  gnutls_x509_crt_init (&crt);

  /* Elliptic-curve keys (ECDSA on P-384 for the CA, P-256 for signing):
   * the strength of RSA 7680 and 3072 bits, with signatures a
   * certificate's worth of time cheaper and a few bytes long. */
  if ((rc = gnutls_x509_privkey_generate (ca_key, GNUTLS_PK_ECDSA,
                                          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1), 0)) < 0
      || (rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                             GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0)
    {
      keys_error (error, _("key generation"), rc);
      goto out;
    }
  if (!make_certificate (ca, ca_key, ca_name, lab_name, TRUE, 1, error)
      || !make_certificate (crt, key, signer_name, lab_name, FALSE, 2, error))
    goto out;
  if ((rc = gnutls_x509_crt_sign2 (ca, ca, ca_key, GNUTLS_DIG_SHA256, 0)) < 0
      || (rc = gnutls_x509_crt_sign2 (crt, ca, ca_key, GNUTLS_DIG_SHA256, 0)) < 0)
    {
      keys_error (error, _("certificate signing"), rc);
      goto out;
    }

#define EXPORT(call, name, private_key) \
  G_STMT_START { \
    if ((rc = (call)) < 0) { keys_error (error, name, rc); goto out; } \
    if (!write_file (dir, name, &datum, private_key, error)) goto out; \
    gnutls_free (datum.data); datum.data = NULL; \
  } G_STMT_END

  EXPORT (gnutls_x509_crt_export2 (ca, GNUTLS_X509_FMT_PEM, &datum), "ca.pem", FALSE);
  EXPORT (gnutls_x509_privkey_export2 (ca_key, GNUTLS_X509_FMT_PEM, &datum), "ca-key.pem", TRUE);
  EXPORT (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum), "signing.pem", FALSE);
  EXPORT (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &datum), "signing-key.pem", TRUE);
#undef EXPORT
  ok = TRUE;

out:
  if (datum.data != NULL)
    gnutls_free (datum.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_crt_deinit (ca);
  gnutls_x509_privkey_deinit (key);
  gnutls_x509_privkey_deinit (ca_key);
  return ok;
}

gboolean
cb_keys_import (const char  *dir,
                const char  *path,
                const char  *key_path,
                const char  *password,
                GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  gnutls_datum_t datum;
  gnutls_datum_t out = { NULL, 0 };
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_size = 0;
  gboolean ok = FALSE;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS, _("%s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  datum.data = (unsigned char *) contents;
  datum.size = (unsigned int) length;

  if (key_path == NULL)
    {
      /* A PKCS#12 bundle: the key and its certificate chain. */
      gnutls_pkcs12_t bundle;

      gnutls_pkcs12_init (&bundle);
      rc = gnutls_pkcs12_import (bundle, &datum, GNUTLS_X509_FMT_DER, 0);
      if (rc >= 0)
        rc = gnutls_pkcs12_simple_parse (bundle, password != NULL ? password : "", &key, &chain, &chain_size,
                                         NULL, NULL, NULL, 0);
      gnutls_pkcs12_deinit (bundle);
      if (rc < 0 || chain_size == 0)
        return keys_error (error, path, rc < 0 ? rc : GNUTLS_E_CERTIFICATE_ERROR);
    }
  else
    {
      g_autofree char *key_contents = NULL;
      gsize key_length;
      gnutls_datum_t key_datum;

      chain = gnutls_malloc (sizeof *chain);
      gnutls_x509_crt_init (&chain[0]);
      chain_size = 1;
      if ((rc = gnutls_x509_crt_import (chain[0], &datum, GNUTLS_X509_FMT_PEM)) < 0)
        {
          keys_error (error, path, rc);
          goto out;
        }
      if (!g_file_get_contents (key_path, &key_contents, &key_length, error))
        goto out;
      key_datum.data = (unsigned char *) key_contents;
      key_datum.size = (unsigned int) key_length;
      gnutls_x509_privkey_init (&key);
      rc = gnutls_x509_privkey_import2 (key, &key_datum, GNUTLS_X509_FMT_PEM, password, 0);
      memset (key_contents, 0, key_length);
      if (rc < 0)
        {
          keys_error (error, key_path, rc);
          goto out;
        }
    }

  if ((rc = gnutls_x509_crt_export2 (chain[0], GNUTLS_X509_FMT_PEM, &out)) < 0)
    {
      keys_error (error, path, rc);
      goto out;
    }
  if (!write_file (dir, "signing.pem", &out, FALSE, error))
    goto out;
  gnutls_free (out.data);
  out.data = NULL;
  if ((rc = gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &out)) < 0)
    {
      keys_error (error, path, rc);
      goto out;
    }
  if (!write_file (dir, "signing-key.pem", &out, TRUE, error))
    goto out;
  ok = TRUE;

out:
  if (out.data != NULL)
    gnutls_free (out.data);
  for (unsigned int i = 0; i < chain_size; i++)
    gnutls_x509_crt_deinit (chain[i]);
  gnutls_free (chain);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

char *
cb_keys_certificate_path (const char *dir)
{
  return g_build_filename (dir, "signing.pem", NULL);
}

char *
cb_keys_key_path (const char *dir)
{
  return g_build_filename (dir, "signing-key.pem", NULL);
}
