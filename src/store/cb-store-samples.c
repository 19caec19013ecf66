/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"
#include "cb-store-samples.h"

#define MAX_PHOTO_BYTES (20 * 1024 * 1024)

static const char * const sample_states[] = {
  "received", "waiting", "in-measurement", "measured", "returned", "handed-over", NULL
};

void
cb_sample_free (CbSample *sample)
{
  if (sample == NULL)
    return;
  g_free (sample->label);
  g_free (sample->name);
  g_free (sample->model);
  g_free (sample->serial);
  g_free (sample->range_text);
  g_free (sample->accuracy_class);
  g_free (sample->maker);
  g_free (sample->requirement);
  g_free (sample->received_at);
  g_free (sample->due);
  g_free (sample->state);
  g_free (sample->location);
  g_free (sample);
}

void
cb_sample_event_free (CbSampleEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->utc);
  g_free (event->state);
  g_free (event->location);
  g_free (event->actor);
  g_free (event->note);
  g_free (event);
}

void
cb_sample_anomaly_free (CbSampleAnomaly *anomaly)
{
  if (anomaly == NULL)
    return;
  g_free (anomaly->description);
  g_free (anomaly->reported_at);
  g_free (anomaly);
}

void
cb_sample_photo_free (CbSamplePhoto *photo)
{
  if (photo == NULL)
    return;
  g_clear_pointer (&photo->content, g_bytes_unref);
  g_free (photo->sha256);
  g_free (photo->taken_at);
  g_free (photo);
}

#define SAMPLE_COLUMNS \
  "id, label, order_id, ledger_id, name, model, serial, range_text, accuracy_class, maker," \
  " requirement, received_by, received_at, due, state, location"

static gpointer
read_sample (sqlite3_stmt *stmt)
{
  CbSample *sample = g_new0 (CbSample, 1);

  sample->id = sqlite3_column_int64 (stmt, 0);
  sample->label = cb_store_column_dup (stmt, 1);
  sample->order_id = sqlite3_column_int64 (stmt, 2);
  sample->ledger_id = sqlite3_column_int64 (stmt, 3);
  sample->name = cb_store_column_dup (stmt, 4);
  sample->model = cb_store_column_dup (stmt, 5);
  sample->serial = cb_store_column_dup (stmt, 6);
  sample->range_text = cb_store_column_dup (stmt, 7);
  sample->accuracy_class = cb_store_column_dup (stmt, 8);
  sample->maker = cb_store_column_dup (stmt, 9);
  sample->requirement = cb_store_column_dup (stmt, 10);
  sample->received_by = sqlite3_column_int64 (stmt, 11);
  sample->received_at = cb_store_column_dup (stmt, 12);
  sample->due = cb_store_column_dup (stmt, 13);
  sample->state = cb_store_column_dup (stmt, 14);
  sample->location = cb_store_column_dup (stmt, 15);
  return sample;
}

static gpointer
read_event (sqlite3_stmt *stmt)
{
  CbSampleEvent *event = g_new0 (CbSampleEvent, 1);

  event->id = sqlite3_column_int64 (stmt, 0);
  event->sample_id = sqlite3_column_int64 (stmt, 1);
  event->utc = cb_store_column_dup (stmt, 2);
  event->state = cb_store_column_dup (stmt, 3);
  event->location = cb_store_column_dup (stmt, 4);
  event->actor = cb_store_column_dup (stmt, 5);
  event->note = cb_store_column_dup (stmt, 6);
  return event;
}

static gpointer
read_anomaly (sqlite3_stmt *stmt)
{
  CbSampleAnomaly *anomaly = g_new0 (CbSampleAnomaly, 1);

  anomaly->id = sqlite3_column_int64 (stmt, 0);
  anomaly->sample_id = sqlite3_column_int64 (stmt, 1);
  anomaly->description = cb_store_column_dup (stmt, 2);
  anomaly->reported_at = cb_store_column_dup (stmt, 3);
  return anomaly;
}

static gpointer
read_photo (sqlite3_stmt *stmt)
{
  CbSamplePhoto *photo = g_new0 (CbSamplePhoto, 1);

  photo->id = sqlite3_column_int64 (stmt, 0);
  photo->sample_id = sqlite3_column_int64 (stmt, 1);
  photo->content = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
  photo->sha256 = cb_store_column_dup (stmt, 3);
  photo->taken_at = cb_store_column_dup (stmt, 4);
  return photo;
}

/* @at as canonical UTC, now when NULL. */
static char *
time_or_now (const char  *at,
             const char  *what,
             GError     **error)
{
  if (at == NULL)
    return cb_store_now_utc ();
  return cb_store_expect_time (at, what, error);
}

char *
cb_store_sample_next_label (CbStore     *store,
                            const char  *date,
                            GError     **error)
{
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;
  gint64 last;

  if (!cb_store_expect_date (date, FALSE, _("sample label date"), error))
    return NULL;
  prefix = g_strdup_printf ("YP%.4s%.2s%.2s-", date, date + 5, date + 8);
  stmt = cb_store_query (store,
                         "SELECT MAX (CAST (substr (label, length (?1) + 1) AS INTEGER)) FROM samples"
                         " WHERE substr (label, 1, length (?1)) = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  last = cb_store_read_int (store, stmt, 0, NULL);
  return g_strdup_printf ("%s%04" G_GINT64_FORMAT, prefix, last + 1);
}

static gint64
add_event (CbStore     *store,
           gint64       sample_id,
           const char  *utc,
           const char  *state,
           const char  *location,
           const char  *note,
           GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("sample_events");

  cb_store_row_id (row, "sample_id", sample_id);
  cb_store_row_text (row, "utc", utc);
  cb_store_row_text (row, "state", state);
  cb_store_row_text (row, "location", location);
  cb_store_row_text (row, "actor", cb_store_get_actor (store));
  cb_store_row_text (row, "note", note);
  return cb_store_row_insert (store, row, NULL, error);
}

gint64
cb_store_sample_add (CbStore         *store,
                     const CbSample  *sample,
                     char           **label,
                     GError         **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("samples");
  g_autofree char *received_at = NULL;
  g_autofree char *date = NULL;
  g_autofree char *generated = NULL;
  const char *chosen;
  gint64 id;

  if (!cb_store_expect_row (store, "orders", sample->order_id, _("sample order"), _("an existing order"), error) ||
      (sample->ledger_id != 0 &&
       !cb_store_expect_row (store, "ledger", sample->ledger_id, _("sample instrument"), _("an existing ledger entry"), error)) ||
      (sample->received_by != 0 &&
       !cb_store_expect_row (store, "staff", sample->received_by, _("sample received by"), _("an existing staff member"), error)) ||
      !cb_store_expect_text (sample->name, _("sample name"), _("the instrument's name"), error) ||
      !cb_store_expect_date (sample->due, TRUE, _("sample due"), error))
    return 0;
  received_at = time_or_now (sample->received_at, _("sample received at"), error);
  if (received_at == NULL)
    return 0;
  date = g_strndup (received_at, 10);
  if (sample->label != NULL && !cb_store_expect_text (sample->label, _("sample label"), _("a non-empty label"), error))
    return 0;

  if (!cb_store_begin (store, error))
    return 0;
  /* Under the write lock: nobody takes the same number meanwhile. */
  if (sample->label == NULL && (generated = cb_store_sample_next_label (store, date, error)) == NULL)
    goto failed;
  chosen = sample->label != NULL ? sample->label : generated;

  cb_store_row_text (row, "label", chosen);
  cb_store_row_id (row, "order_id", sample->order_id);
  cb_store_row_id (row, "ledger_id", sample->ledger_id);
  cb_store_row_text (row, "name", sample->name);
  cb_store_row_text (row, "model", sample->model);
  cb_store_row_text (row, "serial", sample->serial);
  cb_store_row_text (row, "range_text", sample->range_text);
  cb_store_row_text (row, "accuracy_class", sample->accuracy_class);
  cb_store_row_text (row, "maker", sample->maker);
  cb_store_row_text (row, "requirement", sample->requirement);
  cb_store_row_id (row, "received_by", sample->received_by);
  cb_store_row_text (row, "received_at", received_at);
  cb_store_row_text (row, "due", sample->due);
  cb_store_row_text (row, "location", sample->location);
  id = cb_store_row_insert (store, row, NULL, error);
  if (id == 0 ||
      add_event (store, id, received_at, "received", sample->location, NULL, error) == 0 ||
      !cb_store_commit (store, error))
    goto failed;
  if (label != NULL)
    *label = g_strdup (chosen);
  return id;

failed:
  cb_store_rollback (store);
  return 0;
}

CbSample *
cb_store_sample_get (CbStore  *store,
                     gint64    sample_id,
                     GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " SAMPLE_COLUMNS " FROM samples WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sample_id);
  return cb_store_read_one (store, stmt, read_sample, _("sample"), sample_id, error);
}

gint64
cb_store_sample_find (CbStore     *store,
                      const char  *label,
                      GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM samples WHERE label = ?1", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_TRANSIENT);
  return cb_store_read_int (store, stmt, 0, error);
}

GPtrArray *
cb_store_sample_list (CbStore  *store,
                      gint64    order_id,
                      GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " SAMPLE_COLUMNS " FROM samples WHERE order_id = ?1 AND voided = 0"
                                       " ORDER BY id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return cb_store_read_all (store, stmt, read_sample, (GDestroyNotify) cb_sample_free, error);
}

gboolean
cb_store_sample_move (CbStore     *store,
                      gint64       sample_id,
                      const char  *state,
                      const char  *location,
                      const char  *at,
                      const char  *note,
                      GError     **error)
{
  g_autofree char *utc = NULL;
  g_autofree char *reason = NULL;

  if (!cb_store_expect_row (store, "samples", sample_id, _("sample"), _("an existing sample"), error) ||
      (state != NULL && !cb_store_expect_one_of (state, sample_states, _("sample state"), error)))
    return FALSE;
  if (state == NULL && location == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("sample move: expected a new state, a new location or both"));
      return FALSE;
    }
  if (location != NULL && !cb_store_expect_text (location, _("sample location"), _("a non-empty location"), error))
    return FALSE;
  utc = time_or_now (at, _("sample moved at"), error);
  if (utc == NULL)
    return FALSE;
  reason = note != NULL ? g_strdup (note) : g_strdup (_("sample moved"));

  if (!cb_store_begin (store, error))
    return FALSE;
  if ((state != NULL && !cb_store_update (store, "samples", sample_id, "state", state, reason, error)) ||
      (location != NULL && !cb_store_update (store, "samples", sample_id, "location", location, reason, error)) ||
      add_event (store, sample_id, utc, state, location, note, error) == 0)
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

GPtrArray *
cb_store_sample_history (CbStore  *store,
                         gint64    sample_id,
                         GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, sample_id, utc, state, location, actor, note FROM sample_events"
                                       " WHERE sample_id = ?1 ORDER BY utc, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sample_id);
  return cb_store_read_all (store, stmt, read_event, (GDestroyNotify) cb_sample_event_free, error);
}

gint64
cb_store_sample_anomaly_add (CbStore     *store,
                             gint64       sample_id,
                             const char  *description,
                             const char  *reported_at,
                             GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("sample_anomalies");
  g_autofree char *utc = NULL;

  if (!cb_store_expect_row (store, "samples", sample_id, _("anomaly sample"), _("an existing sample"), error) ||
      !cb_store_expect_text (description, _("anomaly description"), _("what was found at receipt"), error))
    return 0;
  utc = time_or_now (reported_at, _("anomaly reported at"), error);
  if (utc == NULL)
    return 0;
  cb_store_row_id (row, "sample_id", sample_id);
  cb_store_row_text (row, "description", description);
  cb_store_row_text (row, "reported_at", utc);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_sample_anomaly_list (CbStore  *store,
                              gint64    sample_id,
                              GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, sample_id, description, reported_at FROM sample_anomalies"
                                       " WHERE sample_id = ?1 AND voided = 0 ORDER BY reported_at, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sample_id);
  return cb_store_read_all (store, stmt, read_anomaly, (GDestroyNotify) cb_sample_anomaly_free, error);
}

static gboolean
is_image (const guint8 *data,
          gsize         length)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };

  return (length > sizeof png && memcmp (data, png, sizeof png) == 0) ||
         (length > sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0);
}

gint64
cb_store_sample_photo_add (CbStore     *store,
                           gint64       sample_id,
                           GBytes      *content,
                           const char  *taken_at,
                           GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("sample_photos");
  g_autofree char *utc = NULL;
  g_autofree char *sha256 = NULL;
  const guint8 *data;
  gsize length = 0;

  if (!cb_store_expect_row (store, "samples", sample_id, _("photo sample"), _("an existing sample"), error))
    return 0;
  data = content != NULL ? g_bytes_get_data (content, &length) : NULL;
  if (data == NULL || length > MAX_PHOTO_BYTES || !is_image (data, length))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("sample photo: expected a JPEG or PNG image of at most 20 MiB"));
      return 0;
    }
  utc = time_or_now (taken_at, _("photo taken at"), error);
  if (utc == NULL)
    return 0;
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  cb_store_row_id (row, "sample_id", sample_id);
  cb_store_row_text (row, "sha256", sha256);
  cb_store_row_text (row, "taken_at", utc);
  cb_store_row_blob (row, "content", content);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_sample_photo_list (CbStore  *store,
                            gint64    sample_id,
                            GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, sample_id, content, sha256, taken_at FROM sample_photos"
                                       " WHERE sample_id = ?1 AND voided = 0 ORDER BY taken_at, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sample_id);
  return cb_store_read_all (store, stmt, read_photo, (GDestroyNotify) cb_sample_photo_free, error);
}

gboolean
cb_store_sample_photo_verify (CbStore  *store,
                              gint64    photo_id,
                              GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, sample_id, content, sha256, taken_at FROM sample_photos WHERE id = ?1",
                                       error);
  g_autoptr(CbSamplePhoto) photo = NULL;
  g_autofree char *actual = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, photo_id);
  photo = cb_store_read_one (store, stmt, read_photo, _("sample photo"), photo_id, error);
  if (photo == NULL)
    return FALSE;
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo->content);
  if (g_strcmp0 (actual, photo->sha256) != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED,
                   _("sample photo %lld does not match its SHA-256: it was changed"), (long long) photo_id);
      return FALSE;
    }
  return TRUE;
}
