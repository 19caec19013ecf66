/* SPDX-License-Identifier: GPL-3.0-or-later */

#define _GNU_SOURCE
#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/x509.h>
#include <sqlite3.h>

#include "certificate/cb-certificate.h"
#include "certificate/cb-dcc.h"
#include "certificate/cb-keys.h"
#include "certificate/cb-pdf-sign.h"
#include "store/cb-store-certificates.h"
#include "store/cb-store-demo.h"
#include "store/cb-store-private.h"
#include "store/cb-store-records.h"

/* One demo lab and one set of keys for every test. */
static char *dir;
static char *lab_path;
static char *keys;
static CbStore *store;
static CbLab *lab;

/* The last @needle in binary @data (PDF streams hold NUL bytes). */
static const char *
last_of (const char *data,
         gsize       length,
         const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = length >= n ? length - n + 1 : 0; i-- > 0;)
    if (memcmp (data + i, needle, n) == 0)
      return data + i;
  return NULL;
}

static char *
tool_output (const char * const *argv,
             int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &wait_status, &error))
    return NULL;
  if (status != NULL)
    *status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : 1;
  return out;
}

static char *
write_temp (const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL));
  return path;
}

/* An approved record of the shipped template @id, from the demo lab. */
static gint64
approved_record (const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT r.id FROM records r JOIN template_versions v"
                                          " ON v.id = r.template_version_id WHERE r.state = 'approved'"
                                          " AND v.document LIKE '%%%s%%' ORDER BY r.id LIMIT 1", id);
  sqlite3_stmt *stmt = NULL;
  gint64 record = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    record = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (record, >, 0);
  return record;
}

/* The certificate of @record_id, for @customer when not NULL. */
static CbCertificate *
certificate_for (gint64      record_id,
                 const char *number,
                 const char *kind,
                 const char *replaced,
                 const char *customer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRecord) record = cb_store_record_load (store, record_id, &error);
  g_autoptr(CbCertificateFacts) facts = NULL;
  CbCertificate *certificate;

  g_assert_no_error (error);
  facts = cb_store_certificate_facts (store, record_id, &error);
  g_assert_no_error (error);
  if (customer != NULL)
    {
      g_free (facts->customer);
      facts->customer = g_strdup (customer);
    }
  certificate = cb_certificate_new (lab, record, facts, number, kind, replaced, "2026-11-23", &error);
  g_assert_no_error (error);
  return certificate;
}

static CbCertificate *
certificate_of (gint64      record_id,
                const char *number,
                const char *kind,
                const char *replaced)
{
  return certificate_for (record_id, number, kind, replaced, NULL);
}

static GBytes *
signed_pdf (CbCertificate *certificate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = cb_certificate_to_pdf (certificate, &error);
  g_autofree char *cert_path = cb_keys_certificate_path (keys);
  g_autofree char *key_path = cb_keys_key_path (keys);
  GBytes *result;

  g_assert_no_error (error);
  result = cb_pdf_sign (pdf, cert_path, key_path, cb_lab_get_name (lab), &error);
  g_assert_no_error (error);
  return result;
}

static void
test_keys (void)
{
  g_autofree char *key_path = cb_keys_key_path (keys);
  GStatBuf buffer;

  g_autofree char *cert_path = cb_keys_certificate_path (keys);
  g_autofree char *pem = NULL;
  gsize length;
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum;
  unsigned int bits = 0;

  g_assert_cmpint (g_stat (key_path, &buffer), ==, 0);
  g_assert_cmpint (buffer.st_mode & 0777, ==, 0600);

  /* The signing certificate carries an ECDSA key on P-256. */
  g_assert_true (g_file_get_contents (cert_path, &pem, &length, NULL));
  datum.data = (unsigned char *) pem;
  datum.size = (unsigned int) length;
  gnutls_x509_crt_init (&crt);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), >=, 0);
  g_assert_cmpint (gnutls_x509_crt_get_pk_algorithm (crt, &bits), ==, GNUTLS_PK_ECDSA);
  g_assert_cmpuint (bits, ==, 256);
  gnutls_x509_crt_deinit (crt);
}

/* What seed 001 Appendix A and seed 003 5.4.1 require to be on it. */
static void
test_contents (void)
{
  gint64 record = approved_record ("jjg52-2013-pressure-gauge");
  g_autoptr(CbCertificate) certificate = certificate_of (record, "JD2026-900001", "original", NULL);
  g_autoptr(GBytes) pdf = signed_pdf (certificate);
  g_autofree char *path = write_temp ("contents.pdf", pdf);
  const char *to_text[] = { "pdftotext", "-layout", path, "-", NULL };
  const char *fonts[] = { "pdffonts", path, NULL };
  g_autofree char *text = tool_output (to_text, NULL);
  g_autofree char *font_list = NULL;
  const char *required[] = {
    "冀中计量检测研究院", "检定证书", "Verification Certificate", "JD2026-900001", "委托单位", "器具名称",
    "出厂编号", "制造单位", "检定依据", "JJG 52-2013", "检定结论", "批准人", "核验员", "检定员", "接收日期",
    "检定日期", "签发日期", "有效期至", "主要计量标准器", "环境条件", "检定结果", "示值误差", "回程误差",
    "轻敲位移", "仅对", "本证书为电子证书，请到发证机构官网验证", "(冀)法计(2024)01001号",
    "以下空白",
  };

  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (strstr (text, required[i]) == NULL)
      g_error ("the certificate lacks “%s”", required[i]);
  g_assert_nonnull (strstr (text, cb_certificate_get_identifier (certificate)));
  g_assert_nonnull (strstr (text, "第 1 页 共 3 页"));
  g_assert_nonnull (strstr (text, "Page 3 of 3"));

  /* Every font is embedded. */
  font_list = tool_output (fonts, NULL);
  g_assert_nonnull (font_list);
  {
    g_auto(GStrv) lines = g_strsplit (font_list, "\n", 0);
    guint n_fonts = 0;

    for (guint i = 2; lines[i] != NULL; i++)
      {
        g_auto(GStrv) columns = NULL;

        if (*lines[i] == '\0')
          continue;
        columns = g_strsplit_set (lines[i], " ", 0);
        g_assert_nonnull (strstr (lines[i], " yes "));
        n_fonts++;
      }
    g_assert_cmpuint (n_fonts, >, 0);
  }

  /* Chinese in the lab's cut of the CJK face, Latin in its cut of Noto
   * Sans; nothing from the whole faces. */
  g_assert_nonnull (strstr (font_list, "CalbenchSansCJK-Regular"));
  g_assert_nonnull (strstr (font_list, "CalbenchSansCJK-Bold"));
  g_assert_nonnull (strstr (font_list, "CalbenchSans-Regular"));
  g_assert_nonnull (strstr (font_list, "CalbenchSans-Bold"));
  g_assert_null (strstr (font_list, "NotoSans"));
  /* No ligatures: "Certificate" is its letters, not an "fi" glyph with a
   * replacement text. */
  g_assert_nonnull (strstr (text, "Verification Certificate"));

  /* Subset fonts, no subroutines of the whole CJK font: a certificate is
   * small enough to keep in the store and send to every bench. */
  g_assert_cmpuint (g_bytes_get_size (pdf), <, 400 * 1024);
}

/* The original record printed with the same layout code: every reading
 * and computed column, no seal, no e-certificate notice, no QR code. */
static void
test_original_record (void)
{
  gint64 record_id = approved_record ("jjg52-2013-pressure-gauge");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRecord) record = cb_store_record_load (store, record_id, &error);
  g_autoptr(CbCertificateFacts) facts = NULL;
  g_autoptr(CbCertificate) layout = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  CbCell cell;

  g_assert_no_error (error);
  facts = cb_store_certificate_facts (store, record_id, &error);
  g_assert_no_error (error);
  layout = cb_certificate_new_original (lab, record, facts, facts->sample_label, &error);
  g_assert_no_error (error);
  pdf = cb_certificate_to_pdf (layout, &error);
  g_assert_no_error (error);
  path = write_temp ("original.pdf", pdf);
  {
    const char *to_text[] = { "pdftotext", "-layout", path, "-", NULL };

    text = tool_output (to_text, NULL);
  }
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  g_assert_nonnull (strstr (text, "原始记录"));
  g_assert_nonnull (strstr (text, "Original Record"));
  g_assert_nonnull (strstr (text, facts->sample_label));
  g_assert_nonnull (strstr (text, "End of record"));
  g_assert_null (strstr (text, "本证书为电子证书"));
  /* A reading the certificate does not show is on the record. */
  g_assert_true (cb_record_get_cell (record, "indication/2/up_before", &cell, NULL));
  g_assert_nonnull (cell.text);
  g_assert_nonnull (strstr (text, cell.text));
  g_assert_nonnull (strstr (text, "Page 1 of"));
}

static void
test_signature (void)
{
  gint64 record = approved_record ("jjg52-2013-pressure-gauge");
  g_autoptr(CbCertificate) certificate = certificate_of (record, "JD2026-900002", "original", NULL);
  g_autoptr(CbCertificate) other = certificate_of (record, "JD2026-900003", "original", NULL);
  g_autoptr(GBytes) pdf = signed_pdf (certificate);
  g_autoptr(GBytes) second = signed_pdf (other);
  g_autofree char *path = write_temp ("signed.pdf", pdf);
  const char *sig[] = { "pdfsig", path, NULL };
  g_autofree char *report = tool_output (sig, NULL);
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (pdf, &length);
  g_autofree char *signer = NULL;

  /* pdfsig says so, and so does Poppler through the library. */
  if (report != NULL)
    {
      g_assert_nonnull (strstr (report, "Signature is Valid."));
      g_assert_nonnull (strstr (report, "Total document signed"));
    }
  g_assert_cmpint (cb_pdf_check_signature (pdf, &signer, &error), ==, CB_PDF_SIGNATURE_VALID);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (signer, "冀中计量检测研究院"));

  /* A changed byte of the page content. */
  {
    g_autofree guint8 *copy = g_memdup2 (data, length);
    g_autoptr(GBytes) changed = NULL;
    const char *stream = memmem (copy, length, "stream\n", strlen ("stream\n"));

    g_assert_nonnull (stream);
    copy[(stream - (const char *) copy) + 40] ^= 0x01;
    changed = g_bytes_new (copy, length);
    g_assert_cmpint (cb_pdf_check_signature (changed, NULL, NULL), !=, CB_PDF_SIGNATURE_VALID);
  }
  /* An update appended after the signature. */
  {
    g_autoptr(GByteArray) appended = g_byte_array_new ();
    g_autoptr(GBytes) longer = NULL;
    const char tail[] = "1 0 obj\n<< /Producer (someone else) >>\nendobj\n";

    g_byte_array_append (appended, data, (guint) length);
    g_byte_array_append (appended, (const guint8 *) tail, sizeof tail - 1);
    longer = g_byte_array_free_to_bytes (g_steal_pointer (&appended));
    g_assert_cmpint (cb_pdf_check_signature (longer, NULL, NULL), ==, CB_PDF_SIGNATURE_APPENDED);
  }
  /* Another certificate's signature put in its place. */
  {
    gsize other_length;
    const char *other_data = g_bytes_get_data (second, &other_length);
    const char *mine = last_of ((const char *) data, length, "/Contents <");
    const char *theirs = last_of (other_data, other_length, "/Contents <");
    g_autofree guint8 *copy = g_memdup2 (data, length);
    g_autoptr(GBytes) swapped = NULL;
    gsize at = (gsize) (mine - (const char *) data) + strlen ("/Contents <");
    const char *end = strchr (theirs + strlen ("/Contents <"), '>');
    gsize n = (gsize) (end - theirs) - strlen ("/Contents <");

    g_assert_cmpuint (at + n, <, length);
    memcpy (copy + at, theirs + strlen ("/Contents <"), n);
    swapped = g_bytes_new (copy, length);
    g_assert_cmpint (cb_pdf_check_signature (swapped, NULL, NULL), !=, CB_PDF_SIGNATURE_VALID);
  }
  /* Not signed at all. */
  {
    g_autoptr(GBytes) plain = cb_certificate_to_pdf (certificate, NULL);

    g_assert_cmpint (cb_pdf_check_signature (plain, NULL, NULL), ==, CB_PDF_SIGNATURE_NONE);
  }
}

/* The QR code decodes from a 150 dpi rendering to the exact URL. */
static void
test_qr (void)
{
  gint64 record = approved_record ("jjg52-2013-pressure-gauge");
  g_autoptr(CbCertificate) certificate = certificate_of (record, "JD2026-900004", "original", NULL);
  g_autoptr(GBytes) pdf = signed_pdf (certificate);
  g_autofree char *path = write_temp ("qr.pdf", pdf);
  g_autofree char *prefix = g_build_filename (dir, "qr", NULL);
  g_autofree char *png = g_strconcat (prefix, "-1.png", NULL);
  g_autofree char *zbar = g_find_program_in_path ("zbarimg");
  g_autofree char *render = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *expected = g_strdup_printf ("QR-Code:%s\n", cb_certificate_get_url (certificate));
  const char *to_png[] = { "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", path, prefix, NULL };
  const char *scan[] = { "zbarimg", "-q", png, NULL };

  if (zbar == NULL)
    {
      g_test_skip ("zbarimg is not installed (zbar-tools)");
      return;
    }
  render = tool_output (to_png, NULL);
  g_assert_nonnull (render);
  decoded = tool_output (scan, NULL);
  g_assert_cmpstr (decoded, ==, expected);
  g_unlink (png);
}

/* Two hundred points break across pages, the header again on each. */
static void
test_long_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_shipped ("jjf1587-2016-digital-multimeter", &error);
  g_autoptr(CbRecord) record = cb_record_new (tmpl);
  g_autoptr(JsonArray) points = json_array_new ();
  g_autoptr(CbCertificate) certificate = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  CbCertificateFacts facts = { 0 };

  for (guint p = 0; p < 200; p++)
    {
      JsonObject *point = json_object_new ();
      g_autofree char *nominal = g_strdup_printf ("%u", 1 + p % 10);

      json_object_set_string_member (point, "nominal", nominal);
      json_object_set_string_member (point, "range", "10");
      json_object_set_string_member (point, "res", "0.00001");
      json_object_set_string_member (point, "cal_ppm", "12");
      json_object_set_string_member (point, "cal_floor", "0.00002");
      json_object_set_string_member (point, "spec_rdg", "0.0035");
      json_object_set_string_member (point, "spec_rng", "0.0005");
      json_array_add_object_element (points, point);
    }
  g_assert_true (cb_record_set_points (record, "dcv", points, &error));
  for (guint b = 1; b < cb_template_get_n_blocks (tmpl); b++)
    {
      g_autoptr(JsonArray) one = json_array_new ();
      JsonObject *point = json_object_new ();

      json_object_set_string_member (point, "nominal", "1");
      json_object_set_string_member (point, "range", "1");
      json_object_set_string_member (point, "freq", "1000");
      json_object_set_string_member (point, "res", "0.000001");
      json_object_set_string_member (point, "cal_ppm", "150");
      json_object_set_string_member (point, "cal_floor", "0.00006");
      json_object_set_string_member (point, "spec_rdg", "0.06");
      json_object_set_string_member (point, "spec_rng", "0.03");
      json_array_add_object_element (one, point);
      g_assert_true (cb_record_set_points (record, cb_template_get_block_name (tmpl, b), one, &error));
    }
  cb_record_set_value (record, "temperature", "20.1", NULL);
  cb_record_set_value (record, "humidity", "45", NULL);
  for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
    for (guint p = 1; p <= cb_record_get_n_points (record, b); p++)
      for (guint k = 1; k <= 10; k++)
        {
          g_autofree char *nominal_id = g_strdup_printf ("%s/%u/x", cb_template_get_block_name (tmpl, b), p);
          g_autofree char *id = g_strdup_printf ("%s/%u/r/%u", cb_template_get_block_name (tmpl, b), p, k);
          g_autofree char *value = NULL;
          CbCell cell;

          cb_record_get_cell (record, nominal_id, &cell, NULL);
          value = g_strdup_printf ("%.5f", cell.value + (k % 3) * 0.00001);
          cb_record_set_value (record, id, value, NULL);
        }
  g_assert_cmpint (cb_record_get_conclusion (record, NULL), !=, CB_CONCLUSION_INCOMPLETE);

  facts.customer = (char *) "唐山钢铁集团有限责任公司";
  facts.instrument = (char *) "数字多用表";
  facts.standards = g_ptr_array_new ();
  certificate = cb_certificate_new (lab, record, &facts, "JZ2026-900005", "original", NULL, "2026-11-23", &error);
  g_ptr_array_unref (facts.standards);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_certificate_get_n_pages (certificate), >, 5);
  pdf = cb_certificate_to_pdf (certificate, &error);
  g_assert_no_error (error);
  path = write_temp ("long.pdf", pdf);

  /* Every page of the table starts with its header. */
  for (guint page = 3; page < cb_certificate_get_n_pages (certificate); page++)
    {
      g_autofree char *first = g_strdup_printf ("%u", page);
      const char *argv[] = { "pdftotext", "-f", first, "-l", first, path, "-", NULL };
      g_autofree char *text = tool_output (argv, NULL);

      if (text == NULL)
        {
          g_test_skip ("pdftotext is not installed");
          return;
        }
      if (strstr (text, "示值误差") == NULL || strstr (text, "标准值") == NULL)
        g_error ("page %u lacks the table's header:\n%s", page, text);
    }
}

/* The D-SI names of the templates' units; one without is refused by name. */
static void
test_dcc_units (void)
{
  const struct { const char *unit, *dsi; } known[] = {
    { "V", "\\volt" }, { "mV", "\\milli\\volt" }, { "kΩ", "\\kilo\\ohm" }, { "MPa", "\\mega\\pascal" },
    { "°C", "\\degreecelsius" }, { "%RH", "\\percent" }, { "%CH4", "\\percent" }, { "s", "\\second" },
    { "1", "\\one" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_autofree char *dsi = cb_dcc_unit (known[i].unit);

      g_assert_cmpstr (dsi, ==, known[i].dsi);
    }
  g_assert_null (cb_dcc_unit ("furlong"));
  g_assert_null (cb_dcc_unit ("k%"));
}

/* An issued certificate as a DCC: valid against PTB's schema, with the
 * certificate's number and the values and expanded uncertainties the
 * record computes. */
static void
test_dcc (void)
{
  const char *templates[] = { "jjf1587-2016-digital-multimeter", "jjg52-2013-pressure-gauge" };
  g_autofree char *schema = g_build_filename (CB_SCHEMA_DIR, "dcc-3.1.2", "dcc.xsd", NULL);

  for (guint t = 0; t < G_N_ELEMENTS (templates); t++)
    {
      g_autoptr(GError) error = NULL;
      gint64 record_id = approved_record (templates[t]);
      g_autofree char *number = g_strdup_printf ("JZ2026-9100%02u", t);
      g_autoptr(CbCertificate) certificate = certificate_of (record_id, number, "original", NULL);
      g_autoptr(GBytes) pdf = signed_pdf (certificate);
      g_autoptr(CbRecord) record = cb_store_record_load (store, record_id, &error);
      g_autofree char *xml = NULL;
      g_autofree char *name = g_strdup_printf ("%s.xml", templates[t]);
      g_autofree char *path = NULL;
      g_autofree char *expected = NULL;
      gint64 id;
      CbCell cell;

      g_assert_no_error (error);
      id = cb_store_certificate_issue (store, record_id, number, "original", 0, pdf, &error);
      g_assert_no_error (error);
      xml = cb_dcc_export (store, lab, id, &error);
      g_assert_no_error (error);
      g_assert_nonnull (xml);
      path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_set_contents (path, xml, -1, NULL));

      expected = g_strdup_printf ("<dcc:uniqueIdentifier>%s</dcc:uniqueIdentifier>", number);
      g_assert_nonnull (strstr (xml, expected));
      g_assert_nonnull (strstr (xml, "<dcc:mimeType>application/pdf</dcc:mimeType>"));
      g_clear_pointer (&expected, g_free);
      if (t == 0)
        {
          /* The 10 V point's expanded uncertainty, k = 2. */
          g_autofree char *u_list = NULL;
          const char *at = strstr (xml, "<si:uncertaintyXMLList>");
          const char *start = at != NULL ? at + strlen ("<si:uncertaintyXMLList>") : NULL;

          g_assert_true (cb_record_get_cell (record, "dcv/1/U", &cell, NULL));
          g_assert_nonnull (start);
          u_list = g_strndup (start, strcspn (start, "<"));
          g_assert_true (g_str_has_prefix (u_list, cell.text));
          g_assert_nonnull (strstr (xml, "<si:coverageFactorXMLList>2</si:coverageFactorXMLList>"));
          g_assert_nonnull (strstr (xml, "<si:unitXMLList>\\volt</si:unitXMLList>"));
        }
      else
        {
          g_assert_true (cb_record_get_cell (record, "indication/2/p", &cell, NULL));
          g_assert_nonnull (strstr (xml, "<si:unitXMLList>\\mega\\pascal</si:unitXMLList>"));
          g_assert_nonnull (strstr (xml, "<dcc:conformity>"));
        }

      if (!g_file_test (schema, G_FILE_TEST_IS_REGULAR))
        {
          g_test_message ("no DCC schema at %s: not validated", schema);
          continue;
        }
      {
        const char *argv[] = { "xmllint", "--noout", "--schema", schema, path, NULL };
        int status = 1;
        g_autofree char *out = tool_output (argv, &status);

        if (out == NULL)
          {
            g_test_skip ("xmllint is not installed");
            return;
          }
        g_assert_cmpint (status, ==, 0);
      }
    }
}

/* A replacement supersedes the original; a supplement leaves it valid. */
static void
test_replacement (void)
{
  g_autoptr(GError) error = NULL;
  gint64 record = approved_record ("jjg52-2013-pressure-gauge");
  g_autoptr(CbCertificate) original = certificate_of (record, "JD2026-900010", "original", NULL);
  g_autoptr(CbCertificate) supplement = certificate_of (record, "JD2026-900011", "supplement", "JD2026-900010");
  g_autoptr(CbCertificate) replacement = certificate_of (record, "JD2026-900012", "replacement", "JD2026-900010");
  g_autoptr(GBytes) first = signed_pdf (original);
  g_autoptr(GBytes) added = signed_pdf (supplement);
  g_autoptr(GBytes) second = signed_pdf (replacement);
  g_autoptr(CbStoredCertificate) stored = NULL;
  g_autofree char *path = write_temp ("replacement.pdf", second);
  const char *to_text[] = { "pdftotext", path, "-", NULL };
  g_autofree char *text = NULL;
  gint64 original_id, supplement_id, replacement_id;

  original_id = cb_store_certificate_issue (store, record, "JD2026-900010", "original", 0, first, &error);
  g_assert_no_error (error);
  supplement_id = cb_store_certificate_issue (store, record, "JD2026-900011", "supplement", original_id, added, &error);
  g_assert_no_error (error);
  g_assert_cmpint (supplement_id, >, 0);
  stored = cb_store_certificate_get (store, original_id, &error);
  g_assert_cmpstr (stored->status, ==, "issued");
  g_clear_pointer (&stored, cb_stored_certificate_free);

  replacement_id = cb_store_certificate_issue (store, record, "JD2026-900012", "replacement", original_id, second,
                                               &error);
  g_assert_no_error (error);
  stored = cb_store_certificate_get (store, original_id, &error);
  g_assert_cmpstr (stored->status, ==, "superseded");
  g_clear_pointer (&stored, cb_stored_certificate_free);
  stored = cb_store_certificate_get (store, replacement_id, &error);
  g_assert_cmpstr (stored->status, ==, "issued");
  g_assert_cmpint (cb_store_certificate_find_by_sha256 (store, stored->sha256, NULL), ==, replacement_id);

  /* An issued certificate is never edited. */
  g_assert_false (cb_store_update (store, "certificates", replacement_id, "number", "JD2026-999999", "改号", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Nor replaced twice. */
  g_assert_cmpint (cb_store_certificate_issue (store, record, "JD2026-900013", "replacement", original_id, second,
                                               &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);

  text = tool_output (to_text, NULL);
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "本证书代替证书编号 JD2026-900010"));
      g_assert_nonnull (strstr (text, "作废"));
    }
}

/* A name with a character outside GB 2312 (堃) takes it from the whole CJK
 * face; the rest stays in the lab's cut. */
static void
test_rare_characters (void)
{
  g_autoptr(CbCertificate) certificate = certificate_for (approved_record ("jjg52-2013-pressure-gauge"),
                                                          "JD2026-900077", "original", NULL, "王堃精密仪表厂");
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *font_list = NULL;

  pdf = signed_pdf (certificate);
  path = write_temp ("rare.pdf", pdf);
  {
    const char *to_text[] = { "pdftotext", path, "-", NULL };
    const char *fonts[] = { "pdffonts", path, NULL };

    text = tool_output (to_text, NULL);
    font_list = tool_output (fonts, NULL);
  }
  if (text == NULL || font_list == NULL)
    {
      g_test_skip ("pdftotext or pdffonts is not installed");
      return;
    }
  g_assert_nonnull (strstr (text, "王堃精密仪表厂"));
  g_assert_nonnull (strstr (font_list, "CalbenchSansCJK-Regular"));
  g_assert_nonnull (strstr (font_list, "NotoSansCJK"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("calbench-certificate-XXXXXX", NULL);
  db = g_build_filename (dir, "lab.db", NULL);
  keys = g_build_filename (dir, "keys", NULL);
  store = cb_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_demo_populate (store, &error));
  g_assert_no_error (error);
  lab = cb_lab_new_default ();
  g_assert_nonnull (lab);
  g_assert_true (cb_keys_init (keys, cb_lab_get_name (lab), &error));
  g_assert_no_error (error);
  lab_path = NULL;

  g_test_add_func ("/certificate/keys", test_keys);
  g_test_add_func ("/certificate/contents", test_contents);
  g_test_add_func ("/certificate/rare-characters", test_rare_characters);
  g_test_add_func ("/certificate/signature", test_signature);
  g_test_add_func ("/certificate/original-record", test_original_record);
  g_test_add_func ("/certificate/qr", test_qr);
  g_test_add_func ("/certificate/long-table", test_long_table);
  g_test_add_func ("/certificate/replacement", test_replacement);
  g_test_add_func ("/certificate/dcc-units", test_dcc_units);
  g_test_add_func ("/certificate/dcc", test_dcc);
  status = g_test_run ();

  cb_store_close (store);
  cb_lab_free (lab);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    (void) system (command);
  }
  return status;
}
