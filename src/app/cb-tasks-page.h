/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cb-session.h"

G_BEGIN_DECLS

/*
 * My tasks: the logged-in person's counts per state (to measure, returned,
 * to check, to approve, overdue, due this week) and the tasks assigned to
 * them; a field where typing or scanning a sample's number (a barcode
 * scanner types it and Enter) opens that sample's task.  Emits
 * "open-task" with the task's id.
 */

#define CB_TYPE_TASKS_PAGE (cb_tasks_page_get_type ())

G_DECLARE_FINAL_TYPE (CbTasksPage, cb_tasks_page, CB, TASKS_PAGE, GtkWidget)

void        cb_tasks_page_set_session (CbTasksPage *self,
                                       CbSession   *session);
/* Reads the counts and the list again from the store. */
void        cb_tasks_page_reload      (CbTasksPage *self);
/* Opens the task of the sample numbered @label, as a scan does; FALSE with
 * a message shown when there is none. */
gboolean    cb_tasks_page_open_sample (CbTasksPage *self,
                                       const char  *label);

/* A passing message at the bottom of the page. */
void        cb_tasks_page_show_message (CbTasksPage *self,
                                        const char  *message);

G_END_DECLS
