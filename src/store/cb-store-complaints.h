/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Complaints: answered within 10 working days of receipt (the service
 * specifications, 5.6), so the due date is set when one is registered;
 * closing one records the outcome.
 */

#define CB_COMPLAINT_WORKING_DAYS 10

typedef struct
{
  gint64  id;
  gint64  customer_id;  /* 0: not a customer of record */
  char   *received;     /* YYYY-MM-DD */
  char   *due;
  char   *description;
  char   *outcome;      /* NULL while open */
  char   *closed;
} CbComplaint;

void          cb_complaint_free             (CbComplaint  *complaint);

/* @date (YYYY-MM-DD) plus @n working days, skipping Saturdays and Sundays
 * (public holidays are not known here); NULL when @date is not a date. */
char         *cb_add_working_days           (const char   *date,
                                             guint         n);

/* Due CB_COMPLAINT_WORKING_DAYS working days after @received. */
gint64        cb_store_complaint_add        (CbStore      *store,
                                             gint64        customer_id,
                                             const char   *received,
                                             const char   *description,
                                             GError      **error);
CbComplaint  *cb_store_complaint_get        (CbStore      *store,
                                             gint64        complaint_id,
                                             GError      **error);
/* Closes it on @closed (YYYY-MM-DD, not before receipt) with the outcome. */
gboolean      cb_store_complaint_close      (CbStore      *store,
                                             gint64        complaint_id,
                                             const char   *outcome,
                                             const char   *closed,
                                             GError      **error);
/* CbComplaint by due date; open ones only when asked. */
GPtrArray    *cb_store_complaint_list       (CbStore      *store,
                                             gboolean      open_only,
                                             GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbComplaint, cb_complaint_free)

G_END_DECLS
