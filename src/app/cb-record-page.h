/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cb-session.h"
#include "core/cb-record.h"

G_BEGIN_DECLS

/*
 * The record of a task as its template lays it out: the header fields bound
 * from the order and sample, the conclusion, and each measurement block as a
 * table of its points, entered values apart from computed ones, cells in
 * error marked with their cause.
 */

#define CB_TYPE_RECORD_PAGE (cb_record_page_get_type ())

G_DECLARE_FINAL_TYPE (CbRecordPage, cb_record_page, CB, RECORD_PAGE, GtkWidget)

void        cb_record_page_set_session (CbRecordPage *self,
                                        CbSession    *session);
/* The task shown, 0 when none is. */
gint64        cb_record_page_get_task  (CbRecordPage *self);
/* Shows the record of @task_id; FALSE with @error when it cannot be read. */
gboolean    cb_record_page_show_task   (CbRecordPage *self,
                                        gint64        task_id,
                                        GError      **error);
/* The record id shown, 0 for none. */
gint64      cb_record_page_get_record  (CbRecordPage *self);

/* A point's uncertainty budget as @record computes it now (what the point's
 * number on the record page opens). */
GtkWidget    *cb_point_budget_view_new (CbRecord     *record,
                                        guint         block,
                                        guint         point);

G_END_DECLS
