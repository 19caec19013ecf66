/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Samples: each has a unique label (printed as a QR code) that follows it
 * everywhere; its states and locations are kept as a history of events;
 * anomalies found at receipt are recorded; photos are kept as bytes with
 * their SHA-256 and are never replaced (a SQL trigger refuses it).
 */

typedef struct
{
  gint64  id;
  char   *label;          /* NULL on input: the store generates one */
  gint64  order_id;
  gint64  ledger_id;      /* 0: not in the ledger */
  char   *name;
  char   *model;
  char   *serial;
  char   *range_text;
  char   *accuracy_class;
  char   *maker;
  char   *requirement;
  gint64  received_by;    /* staff id, 0: not given */
  char   *received_at;    /* UTC, YYYY-MM-DDTHH:MM:SSZ; NULL on input: now */
  char   *due;            /* YYYY-MM-DD */
  char   *state;          /* received, waiting, in-measurement, measured, returned, handed-over */
  char   *location;
} CbSample;

typedef struct
{
  gint64  id;
  gint64  sample_id;
  char   *utc;
  char   *state;          /* NULL when only the location changed */
  char   *location;       /* NULL when only the state changed */
  char   *actor;
  char   *note;
} CbSampleEvent;

typedef struct
{
  gint64  id;
  gint64  sample_id;
  char   *description;
  char   *reported_at;
} CbSampleAnomaly;

typedef struct
{
  gint64  id;
  gint64  sample_id;
  GBytes *content;
  char   *sha256;         /* hex */
  char   *taken_at;
} CbSamplePhoto;

void             cb_sample_free                (CbSample         *sample);
void             cb_sample_event_free          (CbSampleEvent    *event);
void             cb_sample_anomaly_free        (CbSampleAnomaly  *anomaly);
void             cb_sample_photo_free          (CbSamplePhoto    *photo);

/* The next free label for a sample received on @date (YYYY-MM-DD):
 * YP20261123-0001, YP20261123-0002… */
char            *cb_store_sample_next_label    (CbStore          *store,
                                                const char       *date,
                                                GError          **error);
/* Adds @sample (its id and state are ignored) with a generated label when
 * it has none, and its first event: received, at its location.  Returns the
 * id; @label, when not NULL, receives the label. */
gint64           cb_store_sample_add           (CbStore          *store,
                                                const CbSample   *sample,
                                                char            **label,
                                                GError          **error);
CbSample        *cb_store_sample_get           (CbStore          *store,
                                                gint64            sample_id,
                                                GError          **error);
/* The sample with @label, 0 when there is none. */
gint64           cb_store_sample_find          (CbStore          *store,
                                                const char       *label,
                                                GError          **error);
GPtrArray       *cb_store_sample_list          (CbStore          *store,
                                                gint64            order_id,
                                                GError          **error);
/* Moves the sample to @state and/or @location (NULL: unchanged), at @at
 * (an ISO 8601 time, NULL: now), with an event in its history. */
gboolean         cb_store_sample_move          (CbStore          *store,
                                                gint64            sample_id,
                                                const char       *state,
                                                const char       *location,
                                                const char       *at,
                                                const char       *note,
                                                GError          **error);
/* CbSampleEvent, oldest first. */
GPtrArray       *cb_store_sample_history       (CbStore          *store,
                                                gint64            sample_id,
                                                GError          **error);

/* @reported_at: an ISO 8601 time, NULL: now. */
gint64           cb_store_sample_anomaly_add   (CbStore          *store,
                                                gint64            sample_id,
                                                const char       *description,
                                                const char       *reported_at,
                                                GError          **error);
GPtrArray       *cb_store_sample_anomaly_list  (CbStore          *store,
                                                gint64            sample_id,
                                                GError          **error);

/* Keeps @content (a JPEG or PNG, at most 20 MiB) with its SHA-256; taken at
 * @taken_at (ISO 8601, NULL: now).  A photo is never replaced: a better
 * one is another photo. */
gint64           cb_store_sample_photo_add     (CbStore          *store,
                                                gint64            sample_id,
                                                GBytes           *content,
                                                const char       *taken_at,
                                                GError          **error);
/* CbSamplePhoto with their bytes, oldest first. */
GPtrArray       *cb_store_sample_photo_list    (CbStore          *store,
                                                gint64            sample_id,
                                                GError          **error);
/* Recomputes the photo's SHA-256; CB_STORE_ERROR_TAMPERED on a mismatch. */
gboolean         cb_store_sample_photo_verify  (CbStore          *store,
                                                gint64            photo_id,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSample, cb_sample_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSampleEvent, cb_sample_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSampleAnomaly, cb_sample_anomaly_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSamplePhoto, cb_sample_photo_free)

G_END_DECLS
