/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <poppler.h>

#include "cb-certificate.h"
#include "cb-pdf-sign.h"

/* Room for the PKCS#7 in hex: an ECDSA or a 4096-bit RSA signature with
 * its certificate takes well under 4 KiB. */
#define CONTENTS_BYTES 8192
#define BYTE_RANGE_WIDTH 10

/* ------------------------------------------------------------------ */
/* Reading the PDF Cairo wrote                                         */
/* ------------------------------------------------------------------ */

static const char *
find_last (const char *data,
           gsize       length,
           const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = length >= n ? length - n + 1 : 0; i-- > 0;)
    if (memcmp (data + i, needle, n) == 0)
      return data + i;
  return NULL;
}

/* The number after @key in the dictionary text @dict ("/Root 5 0 R"). */
static gint64
dict_ref (const char *dict,
          const char *end,
          const char *key)
{
  g_autofree char *text = g_strndup (dict, end - dict);
  const char *at = strstr (text, key);

  if (at == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen (key), NULL, 10);
}

/* The dictionary of object @number: its "<<" to its matching ">>". */
static gboolean
find_object (const char  *data,
             gsize        length,
             gint64       number,
             const char **start,
             const char **end)
{
  g_autofree char *header = g_strdup_printf ("\n%lld 0 obj", (long long) number);
  const char *at = find_last (data, length, header);
  const char *p;
  int depth = 0;

  if (at == NULL)
    return FALSE;
  p = strstr (at, "<<");
  if (p == NULL || p > data + length)
    return FALSE;
  *start = p;
  for (; p + 1 < data + length; p++)
    {
      if (p[0] == '<' && p[1] == '<')
        {
          depth++;
          p++;
        }
      else if (p[0] == '>' && p[1] == '>')
        {
          depth--;
          p++;
          if (depth == 0)
            {
              *end = p + 1;
              return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
fail (GError     **error,
      const char  *what)
{
  g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_SIGNATURE,
               _("the PDF cannot be signed: %s"), what);
  return FALSE;
}

static gboolean
load_signer (const char           *cert_path,
             const char           *key_path,
             gnutls_x509_crt_t    *crt,
             gnutls_privkey_t     *key,
             GError              **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  gsize cert_length, key_length;
  gnutls_datum_t datum;
  int rc;

  if (!g_file_get_contents (cert_path, &cert_pem, &cert_length, error)
      || !g_file_get_contents (key_path, &key_pem, &key_length, error))
    return FALSE;
  gnutls_x509_crt_init (crt);
  datum.data = (unsigned char *) cert_pem;
  datum.size = (unsigned int) cert_length;
  rc = gnutls_x509_crt_import (*crt, &datum, GNUTLS_X509_FMT_PEM);
  if (rc >= 0)
    {
      gnutls_privkey_init (key);
      datum.data = (unsigned char *) key_pem;
      datum.size = (unsigned int) key_length;
      rc = gnutls_privkey_import_x509_raw (*key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0);
      if (rc < 0)
        gnutls_privkey_deinit (*key);
    }
  /* The key text leaves memory at once. */
  memset (key_pem, 0, key_length);
  if (rc < 0)
    {
      gnutls_x509_crt_deinit (*crt);
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_KEYS,
                   _("%s or %s: not a PEM certificate and key (%s)"), cert_path, key_path, gnutls_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

GBytes *
cb_pdf_sign (GBytes      *pdf,
             const char  *cert_path,
             const char  *key_path,
             const char  *signer_name,
             GError     **error)
{
  gsize length;
  const char *data = g_bytes_get_data (pdf, &length);
  const char *startxref, *trailer, *trailer_end;
  const char *catalog, *catalog_end, *pages, *pages_end, *page, *page_end;
  gint64 prev, root, size, info, pages_ref, first_page;
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format (now, "D:%Y%m%d%H%M%SZ");
  gsize offsets[4];
  gint64 numbers[4];
  gsize contents_at, range_at, xref_at;
  gnutls_x509_crt_t crt;
  gnutls_privkey_t key;
  gnutls_pkcs7_t pkcs7;
  gnutls_datum_t signed_data[1], der = { NULL, 0 };
  g_autoptr(GByteArray) covered = NULL;
  int rc;

  startxref = find_last (data, length, "startxref");
  trailer = find_last (data, length, "trailer");
  if (startxref == NULL || trailer == NULL)
    return fail (error, _("no cross-reference table")), NULL;
  prev = g_ascii_strtoll (startxref + strlen ("startxref"), NULL, 10);
  trailer_end = startxref;
  root = dict_ref (trailer, trailer_end, "/Root");
  size = dict_ref (trailer, trailer_end, "/Size");
  info = dict_ref (trailer, trailer_end, "/Info");
  if (root <= 0 || size <= 0 || !find_object (data, length, root, &catalog, &catalog_end))
    return fail (error, _("no document catalog")), NULL;
  pages_ref = dict_ref (catalog, catalog_end, "/Pages");
  if (pages_ref <= 0 || !find_object (data, length, pages_ref, &pages, &pages_end))
    return fail (error, _("no page tree")), NULL;
  first_page = dict_ref (pages, pages_end, "/Kids [");
  if (first_page <= 0 || !find_object (data, length, first_page, &page, &page_end))
    return fail (error, _("no first page")), NULL;
  {
    g_autofree char *page_text = g_strndup (page, page_end - page);

    if (strstr (page_text, "/Annots") != NULL)
      return fail (error, _("the first page already has annotations")), NULL;
  }

  out = g_string_new_len (data, (gssize) length);
  if (out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  /* The signature, its field on the first page, the page and the catalog
   * again with them. */
  numbers[0] = size;
  offsets[0] = out->len;
  g_string_append_printf (out, "%lld 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached"
                               " /Name (Calbench) /M (%s) /ByteRange [", (long long) size, when);
  range_at = out->len;
  g_string_append_printf (out, "%0*d %0*d %0*d %0*d] /Contents <", BYTE_RANGE_WIDTH, 0, BYTE_RANGE_WIDTH, 0,
                          BYTE_RANGE_WIDTH, 0, BYTE_RANGE_WIDTH, 0);
  contents_at = out->len - 1;
  for (int i = 0; i < CONTENTS_BYTES * 2; i++)
    g_string_append_c (out, '0');
  g_string_append (out, "> >>\nendobj\n");

  numbers[1] = size + 1;
  offsets[1] = out->len;
  g_string_append_printf (out, "%lld 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /F 132"
                               " /Rect [0 0 0 0] /V %lld 0 R /P %lld 0 R >>\nendobj\n",
                          (long long) size + 1, (long long) size, (long long) first_page);

  numbers[2] = first_page;
  offsets[2] = out->len;
  g_string_append_printf (out, "%lld 0 obj\n", (long long) first_page);
  g_string_append_len (out, page, page_end - page - 2);
  g_string_append_printf (out, " /Annots [%lld 0 R] >>\nendobj\n", (long long) size + 1);

  numbers[3] = root;
  offsets[3] = out->len;
  g_string_append_printf (out, "%lld 0 obj\n", (long long) root);
  g_string_append_len (out, catalog, catalog_end - catalog - 2);
  g_string_append_printf (out, " /AcroForm << /Fields [%lld 0 R] /SigFlags 3 >> >>\nendobj\n", (long long) size + 1);

  /* The cross-reference section of the update, sorted by object number. */
  xref_at = out->len;
  g_string_append (out, "xref\n0 1\n0000000000 65535 f \n");
  {
    guint order[4] = { 0, 1, 2, 3 };

    for (guint i = 0; i < 4; i++)
      for (guint j = i + 1; j < 4; j++)
        if (numbers[order[j]] < numbers[order[i]])
          {
            guint t = order[i];

            order[i] = order[j];
            order[j] = t;
          }
    for (guint i = 0; i < 4; i++)
      g_string_append_printf (out, "%lld 1\n%010lu 00000 n \n", (long long) numbers[order[i]],
                              (unsigned long) offsets[order[i]]);
  }
  g_string_append_printf (out, "trailer\n<< /Size %lld /Root %lld 0 R", (long long) size + 2, (long long) root);
  if (info > 0)
    g_string_append_printf (out, " /Info %lld 0 R", (long long) info);
  g_string_append_printf (out, " /Prev %lld >>\nstartxref\n%lu\n%%%%EOF\n", (long long) prev, (unsigned long) xref_at);

  /* The byte range: everything but the signature's hex string. */
  {
    gsize after = contents_at + 2 + CONTENTS_BYTES * 2;
    char range[4 * (BYTE_RANGE_WIDTH + 1)];

    g_snprintf (range, sizeof range, "%0*d %0*lu %0*lu %0*lu", BYTE_RANGE_WIDTH, 0, BYTE_RANGE_WIDTH,
                (unsigned long) contents_at, BYTE_RANGE_WIDTH, (unsigned long) after, BYTE_RANGE_WIDTH,
                (unsigned long) (out->len - after));
    memcpy (out->str + range_at, range, strlen (range));
    covered = g_byte_array_new ();
    g_byte_array_append (covered, (const guint8 *) out->str, (guint) contents_at);
    g_byte_array_append (covered, (const guint8 *) out->str + after, (guint) (out->len - after));
  }

  if (!load_signer (cert_path, key_path, &crt, &key, error))
    return NULL;
  gnutls_pkcs7_init (&pkcs7);
  signed_data[0].data = covered->data;
  signed_data[0].size = covered->len;
  rc = gnutls_pkcs7_sign (pkcs7, crt, key, &signed_data[0], NULL, NULL, GNUTLS_DIG_SHA256,
                          GNUTLS_PKCS7_INCLUDE_TIME | GNUTLS_PKCS7_INCLUDE_CERT);
  if (rc >= 0)
    rc = gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &der);
  gnutls_pkcs7_deinit (pkcs7);
  gnutls_privkey_deinit (key);
  gnutls_x509_crt_deinit (crt);
  if (rc < 0 || der.size > CONTENTS_BYTES)
    {
      if (der.data != NULL)
        gnutls_free (der.data);
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_SIGNATURE, _("signing failed: %s"),
                   rc < 0 ? gnutls_strerror (rc) : _("the signature is too large"));
      return NULL;
    }
  for (unsigned int i = 0; i < der.size; i++)
    {
      static const char hex[] = "0123456789ABCDEF";

      out->str[contents_at + 1 + 2 * i] = hex[der.data[i] >> 4];
      out->str[contents_at + 2 + 2 * i] = hex[der.data[i] & 15];
    }
  gnutls_free (der.data);
  return g_bytes_new (out->str, out->len);
}

/* Poppler validates on a worker thread that lets go of the field when it
 * is done, maybe after the synchronous call returned. The field must not
 * be finalised there: it would drop the document on that thread, maybe
 * while the program exits. So each field gets a toggle reference, and the
 * fields are let go here only once that reference is the last one. */
typedef struct
{
  GMutex lock;
  GCond  cond;
  guint  busy;
} Fields;

static void
field_toggled (gpointer  data,
               GObject  *field,
               gboolean  is_last_ref)
{
  Fields *fields = data;

  if (!is_last_ref)
    return;
  g_mutex_lock (&fields->lock);
  fields->busy--;
  g_cond_broadcast (&fields->cond);
  g_mutex_unlock (&fields->lock);
}

CbPdfSignatureStatus
cb_pdf_check_signature (GBytes  *pdf,
                        char   **signer,
                        GError **error)
{
  g_autoptr(GObject) document = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *fields;
  Fields pending = { 0 };
  CbPdfSignatureStatus status = CB_PDF_SIGNATURE_NONE;
  gsize length;
  const char *data = g_bytes_get_data (pdf, &length);

  if (signer != NULL)
    *signer = NULL;
  document = G_OBJECT (poppler_document_new_from_bytes (pdf, NULL, &local_error));
  if (document == NULL)
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_SIGNATURE, _("not a readable PDF: %s"),
                   local_error->message);
      return CB_PDF_SIGNATURE_INVALID;
    }
  fields = poppler_document_get_signature_fields (POPPLER_DOCUMENT (document));
  g_mutex_init (&pending.lock);
  g_cond_init (&pending.cond);
  pending.busy = g_list_length (fields);
  for (GList *l = fields; l != NULL; l = l->next)
    g_object_add_toggle_ref (l->data, field_toggled, &pending);
  for (GList *l = fields; l != NULL; l = l->next)
    {
      PopplerSignatureInfo *info = poppler_form_field_signature_validate_sync (l->data, 0, NULL, NULL);

      if (info == NULL)
        {
          status = CB_PDF_SIGNATURE_INVALID;
          continue;
        }
      switch (poppler_signature_info_get_signature_status (info))
        {
        case POPPLER_SIGNATURE_VALID:
          status = CB_PDF_SIGNATURE_VALID;
          break;
        case POPPLER_SIGNATURE_DIGEST_MISMATCH:
          status = CB_PDF_SIGNATURE_CHANGED;
          break;
        default:
          status = CB_PDF_SIGNATURE_INVALID;
          break;
        }
      if (signer != NULL && poppler_signature_info_get_signer_name (info) != NULL)
        {
          g_free (*signer);
          *signer = g_strdup (poppler_signature_info_get_signer_name (info));
        }
      poppler_signature_info_free (info);
    }
  for (GList *l = fields; l != NULL; l = l->next)
    g_object_unref (l->data);
  g_mutex_lock (&pending.lock);
  while (pending.busy > 0)
    g_cond_wait (&pending.cond, &pending.lock);
  g_mutex_unlock (&pending.lock);
  for (GList *l = fields; l != NULL; l = l->next)
    g_object_remove_toggle_ref (l->data, field_toggled, &pending);
  g_list_free (fields);
  g_mutex_clear (&pending.lock);
  g_cond_clear (&pending.cond);

  /* Valid over its range, but the range must be the whole file. */
  if (status == CB_PDF_SIGNATURE_VALID)
    {
      const char *range = find_last (data, length, "/ByteRange [");
      long long a = 0, b = 0, c = 0, d = 0;

      if (range == NULL
          || sscanf (range + strlen ("/ByteRange ["), "%lld %lld %lld %lld", &a, &b, &c, &d) != 4
          || (gsize) (c + d) != length)
        status = CB_PDF_SIGNATURE_APPENDED;
    }
  return status;
}

const char *
cb_pdf_signature_status_describe (CbPdfSignatureStatus status)
{
  switch (status)
    {
    case CB_PDF_SIGNATURE_VALID:
      return _("the signature is valid and covers the whole file");
    case CB_PDF_SIGNATURE_NONE:
      return _("the file is not signed");
    case CB_PDF_SIGNATURE_CHANGED:
      return _("the file was changed after it was signed");
    case CB_PDF_SIGNATURE_APPENDED:
      return _("something was appended to the file after it was signed");
    case CB_PDF_SIGNATURE_INVALID:
    default:
      return _("the signature does not verify (damaged or not the one that was made)");
    }
}
