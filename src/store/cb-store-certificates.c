/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-certificates.h"
#include "cb-store-private.h"

static void
standard_free (CbCertificateStandard *standard)
{
  g_free (standard->name);
  g_free (standard->asset_no);
  g_free (standard->model);
  g_free (standard->serial);
  g_free (standard->range_text);
  g_free (standard->uncertainty);
  g_free (standard->certificate_no);
  g_free (standard->valid_until);
  g_free (standard);
}

void
cb_certificate_facts_free (CbCertificateFacts *facts)
{
  if (facts == NULL)
    return;
  g_free (facts->customer);
  g_free (facts->customer_address);
  g_free (facts->order_number);
  g_free (facts->sample_label);
  g_free (facts->instrument);
  g_free (facts->model);
  g_free (facts->serial);
  g_free (facts->maker);
  g_free (facts->range_text);
  g_free (facts->accuracy);
  g_free (facts->received);
  g_free (facts->method_code);
  g_free (facts->method_name);
  g_free (facts->performer);
  g_free (facts->performed_at);
  g_free (facts->checker);
  g_free (facts->checked_at);
  g_free (facts->approver);
  g_free (facts->approved_at);
  g_clear_pointer (&facts->standards, g_ptr_array_unref);
  g_free (facts);
}

void
cb_stored_certificate_free (CbStoredCertificate *certificate)
{
  if (certificate == NULL)
    return;
  g_free (certificate->number);
  g_free (certificate->kind);
  g_free (certificate->status);
  g_free (certificate->sha256);
  g_free (certificate->issued_at);
  g_free (certificate);
}

static gpointer
read_standard (sqlite3_stmt *stmt)
{
  CbCertificateStandard *standard = g_new0 (CbCertificateStandard, 1);

  standard->name = cb_store_column_dup (stmt, 0);
  standard->asset_no = cb_store_column_dup (stmt, 1);
  standard->model = cb_store_column_dup (stmt, 2);
  standard->serial = cb_store_column_dup (stmt, 3);
  standard->range_text = cb_store_column_dup (stmt, 4);
  standard->uncertainty = cb_store_column_dup (stmt, 5);
  standard->certificate_no = cb_store_column_dup (stmt, 6);
  standard->valid_until = cb_store_column_dup (stmt, 7);
  return standard;
}

static gpointer
read_facts (sqlite3_stmt *stmt)
{
  CbCertificateFacts *facts = g_new0 (CbCertificateFacts, 1);

  facts->record_id = sqlite3_column_int64 (stmt, 0);
  facts->customer = cb_store_column_dup (stmt, 1);
  facts->customer_address = cb_store_column_dup (stmt, 2);
  facts->order_number = cb_store_column_dup (stmt, 3);
  facts->sample_label = cb_store_column_dup (stmt, 4);
  facts->instrument = cb_store_column_dup (stmt, 5);
  facts->model = cb_store_column_dup (stmt, 6);
  facts->serial = cb_store_column_dup (stmt, 7);
  facts->maker = cb_store_column_dup (stmt, 8);
  facts->range_text = cb_store_column_dup (stmt, 9);
  facts->accuracy = cb_store_column_dup (stmt, 10);
  facts->received = cb_store_column_dup (stmt, 11);
  facts->method_code = cb_store_column_dup (stmt, 12);
  facts->method_name = cb_store_column_dup (stmt, 13);
  facts->performer = cb_store_column_dup (stmt, 14);
  facts->performed_at = cb_store_column_dup (stmt, 15);
  facts->checker = cb_store_column_dup (stmt, 16);
  facts->checked_at = cb_store_column_dup (stmt, 17);
  facts->approver = cb_store_column_dup (stmt, 18);
  facts->approved_at = cb_store_column_dup (stmt, 19);
  return facts;
}

/* The valid signature of @meaning: who and when. */
#define SIGNER(meaning) \
  " (SELECT COALESCE (st.printed_name, st.name) FROM signatures g JOIN staff st ON st.id = g.signer_id" \
  "   WHERE g.record_id = r.id AND g.meaning = '" meaning "' AND g.voided = 0 ORDER BY g.id DESC LIMIT 1)," \
  " (SELECT g.signed_at FROM signatures g WHERE g.record_id = r.id AND g.meaning = '" meaning "'" \
  "   AND g.voided = 0 ORDER BY g.id DESC LIMIT 1)"

CbCertificateFacts *
cb_store_certificate_facts (CbStore  *store,
                            gint64    record_id,
                            GError  **error)
{
  CbCertificateFacts *facts;
  sqlite3_stmt *stmt;

  stmt = cb_store_query (store,
                         "SELECT r.id, c.name, c.address, o.number, s.label, s.name, s.model, s.serial, s.maker,"
                         " s.range_text, s.accuracy_class, o.received, m.code, m.name,"
                         SIGNER ("performed") "," SIGNER ("checked") "," SIGNER ("approved")
                         " FROM records r JOIN tasks t ON t.id = r.task_id JOIN samples s ON s.id = t.sample_id"
                         " JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = o.customer_id"
                         " LEFT JOIN methods m ON m.id = t.method_id WHERE r.id = ? AND r.voided = 0",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  facts = cb_store_read_one (store, stmt, read_facts, _("record"), record_id, error);
  if (facts == NULL)
    return NULL;

  stmt = cb_store_query (store,
                         "SELECT d.name, d.asset_no, d.model, d.serial, d.range_text, d.uncertainty,"
                         " d.certificate_no, d.valid_until FROM standard_usage u JOIN standards d ON d.id = u.standard_id AND u.voided = 0"
                         " WHERE u.record_id = ? GROUP BY d.id ORDER BY MIN (u.id)",
                         error);
  if (stmt == NULL)
    {
      cb_certificate_facts_free (facts);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, record_id);
  facts->standards = cb_store_read_all (store, stmt, read_standard, (GDestroyNotify) standard_free, error);
  if (facts->standards == NULL)
    {
      cb_certificate_facts_free (facts);
      return NULL;
    }
  return facts;
}

char *
cb_store_certificate_next_number (CbStore     *store,
                                  const char  *prefix,
                                  int          year,
                                  guint        digits,
                                  GError     **error)
{
  g_autofree char *stem = NULL;
  sqlite3_stmt *stmt;
  gint64 highest = 0;
  int rc;

  if (!cb_store_expect_text (prefix, _("certificate number prefix"), _("letters such as JZ"), error))
    return NULL;
  stem = g_strdup_printf ("%s%04d-", prefix, year);
  stmt = cb_store_query (store, "SELECT number FROM certificates WHERE substr (number, 1, ?2) = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, stem, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) strlen (stem));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *tail = (const char *) sqlite3_column_text (stmt, 0) + strlen (stem);
      gboolean digits_only = *tail != '\0';

      /* Only numbers of this rule count; others may share the stem. */
      for (const char *p = tail; *p; p++)
        digits_only = digits_only && g_ascii_isdigit (*p);
      if (digits_only)
        highest = MAX (highest, g_ascii_strtoll (tail, NULL, 10));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, "certificates");
      return NULL;
    }
  return g_strdup_printf ("%s%0*" G_GINT64_FORMAT, stem, (int) CLAMP (digits, 1, 12), highest + 1);
}

gint64
cb_store_certificate_issue (CbStore     *store,
                            gint64       record_id,
                            const char  *number,
                            const char  *kind,
                            gint64       replaces_id,
                            GBytes      *pdf,
                            GError     **error)
{
  static const char * const kinds[] = { "original", "supplement", "replacement", NULL };
  g_autoptr(CbStoreRow) row = cb_store_row_new ("certificates");
  g_autofree char *state = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *now = cb_store_now_utc ();
  gint64 id;

  if (!cb_store_expect_text (number, _("certificate number"), _("the number by the lab's rule"), error) ||
      !cb_store_expect_one_of (kind, kinds, _("certificate kind"), error) ||
      !cb_store_expect_row (store, "records", record_id, _("certificate's record"), _("an existing record"), error))
    return 0;
  if (pdf == NULL || g_bytes_get_size (pdf) == 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("certificate PDF: expected the signed file"));
      return 0;
    }
  state = cb_store_get_field (store, "records", record_id, "state", NULL);
  if (g_strcmp0 (state, "approved") != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("record %lld is %s: only an approved record gets a certificate"),
                   (long long) record_id, state != NULL ? state : "?");
      return 0;
    }
  if ((replaces_id != 0) != !g_str_equal (kind, "original"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("certificate kind %s: a supplement or a replacement names the certificate it concerns, an original none"),
                   kind);
      return 0;
    }
  if (replaces_id != 0)
    {
      g_autofree char *status = cb_store_get_field (store, "certificates", replaces_id, "status", error);

      if (status == NULL)
        return 0;
      if (!g_str_equal (status, "issued"))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                       _("certificate %lld is %s: only an issued certificate can be supplemented or replaced"),
                       (long long) replaces_id, status);
          return 0;
        }
    }

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  cb_store_row_text (row, "number", number);
  cb_store_row_id (row, "record_id", record_id);
  cb_store_row_text (row, "kind", kind);
  cb_store_row_id (row, "replaces_id", replaces_id);
  cb_store_row_text (row, "status", "issued");
  cb_store_row_text (row, "sha256", sha256);
  cb_store_row_text (row, "issued_at", now);
  cb_store_row_blob (row, "pdf", pdf);

  if (!cb_store_begin (store, error))
    return 0;
  id = cb_store_row_insert (store, row, NULL, error);
  if (id == 0
      || (g_str_equal (kind, "replacement")
          && !cb_store_update (store, "certificates", replaces_id, "status", "superseded",
                               number, error)))
    {
      cb_store_rollback (store);
      return 0;
    }
  if (!cb_store_commit (store, error))
    return 0;
  return id;
}

static gpointer
read_certificate (sqlite3_stmt *stmt)
{
  CbStoredCertificate *certificate = g_new0 (CbStoredCertificate, 1);

  certificate->id = sqlite3_column_int64 (stmt, 0);
  certificate->number = cb_store_column_dup (stmt, 1);
  certificate->record_id = sqlite3_column_int64 (stmt, 2);
  certificate->kind = cb_store_column_dup (stmt, 3);
  certificate->replaces_id = sqlite3_column_int64 (stmt, 4);
  certificate->status = cb_store_column_dup (stmt, 5);
  certificate->sha256 = cb_store_column_dup (stmt, 6);
  certificate->issued_at = cb_store_column_dup (stmt, 7);
  certificate->print_count = sqlite3_column_int64 (stmt, 8);
  return certificate;
}

CbStoredCertificate *
cb_store_certificate_get (CbStore  *store,
                          gint64    certificate_id,
                          GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id, number, record_id, kind, replaces_id, status, sha256,"
                                              " issued_at, print_count FROM certificates WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, certificate_id);
  return cb_store_read_one (store, stmt, read_certificate, _("certificate"), certificate_id, error);
}

gint64
cb_store_certificate_find_by_sha256 (CbStore     *store,
                                     const char  *sha256,
                                     GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM certificates WHERE sha256 = ? ORDER BY id LIMIT 1",
                                       error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  return cb_store_read_int (store, stmt, 0, error);
}

GBytes *
cb_store_certificate_get_pdf (CbStore  *store,
                              gint64    certificate_id,
                              GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT pdf FROM certificates WHERE id = ?", error);
  GBytes *pdf = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, certificate_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
    pdf = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  else
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                 _("certificate %lld has no PDF"), (long long) certificate_id);
  sqlite3_finalize (stmt);
  return pdf;
}

gboolean
cb_store_certificate_withdraw (CbStore     *store,
                               gint64       certificate_id,
                               const char  *reason,
                               GError     **error)
{
  if (!cb_store_expect_text (reason, _("withdrawal reason"), _("why the certificate is withdrawn"), error))
    return FALSE;
  return cb_store_update (store, "certificates", certificate_id, "status", "withdrawn", reason, error);
}

gint64
cb_store_certificate_find_for_record (CbStore  *store,
                                      gint64    record_id,
                                      GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM certificates WHERE record_id = ? AND status = 'issued'"
                                              " AND voided = 0 ORDER BY id DESC LIMIT 1", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, record_id);
  return cb_store_read_int (store, stmt, 0, error);
}
