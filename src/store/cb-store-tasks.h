/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Tasks: one calibration item on one sample, assigned to a person and a
 * bench, with a due date that moves only through an approved delay
 * request; and the counts behind each person's "my tasks" home screen.
 */

typedef struct
{
  gint64  id;
  gint64  sample_id;
  char   *item;
  gint64  method_id;     /* 0: not given */
  gint64  assignee_id;   /* 0: not assigned */
  char   *bench;
  char   *due;           /* YYYY-MM-DD */
  char   *state;         /* to-measure, measuring, to-check, to-approve, returned, approved, cancelled */
  char   *sample_label;  /* read with the task */
} CbTask;

typedef struct
{
  gint64  id;
  gint64  task_id;
  char   *reason;
  char   *new_due;
  char   *state;         /* requested, approved, refused */
  gint64  decided_by;    /* 0 until decided */
} CbDelayRequest;

/* What a person's home screen counts. */
typedef struct
{
  guint to_measure;     /* assigned to them: to-measure or measuring */
  guint returned;       /* assigned to them and returned by a checker or approver */
  guint to_check;       /* someone else's, waiting for a check they are authorised for */
  guint to_approve;     /* someone else's, waiting for an approval they may sign */
  guint overdue;        /* assigned to them, open, due before today */
  guint due_this_week;  /* assigned to them, open, due from today to Sunday */
} CbMyTasks;

void            cb_task_free                    (CbTask          *task);
void            cb_delay_request_free           (CbDelayRequest  *request);

gint64          cb_store_task_add               (CbStore         *store,
                                                 gint64           sample_id,
                                                 const char      *item,
                                                 gint64           method_id,
                                                 const char      *due,
                                                 GError         **error);
/* Assigns to @assignee_id, who needs a current authorisation to perform
 * the item; @bench may be NULL. */
gboolean        cb_store_task_assign            (CbStore         *store,
                                                 gint64           task_id,
                                                 gint64           assignee_id,
                                                 const char      *bench,
                                                 GError         **error);
gboolean        cb_store_task_set_state         (CbStore         *store,
                                                 gint64           task_id,
                                                 const char      *state,
                                                 const char      *reason,
                                                 GError         **error);
CbTask         *cb_store_task_get               (CbStore         *store,
                                                 gint64           task_id,
                                                 GError         **error);
/* CbTask assigned to @staff_id in @state (any when NULL), by due date. */
GPtrArray      *cb_store_task_list_for_staff    (CbStore         *store,
                                                 gint64           staff_id,
                                                 const char      *state,
                                                 GError         **error);
/* Other people's tasks waiting for @staff_id's signature: @kind "check"
 * (state to-check) or "approve" (to-approve, for an approver), where they
 * hold a current authorisation for the item; by due date. */
GPtrArray      *cb_store_task_list_to_sign      (CbStore         *store,
                                                 gint64           staff_id,
                                                 const char      *kind,
                                                 GError         **error);
/* The newest task of a sample that is not cancelled, 0 when it has none. */
gint64          cb_store_task_find_for_sample   (CbStore         *store,
                                                 gint64           sample_id,
                                                 GError         **error);
/* @today: YYYY-MM-DD, NULL for today. */
gboolean        cb_store_my_tasks               (CbStore         *store,
                                                 gint64           staff_id,
                                                 const char      *today,
                                                 CbMyTasks       *counts,
                                                 GError         **error);

/* A later due date for an open task, with the reason; one pending request
 * per task. */
gint64          cb_store_delay_request_add      (CbStore         *store,
                                                 gint64           task_id,
                                                 const char      *reason,
                                                 const char      *new_due,
                                                 GError         **error);
/* Approves or refuses; the decider is not the task's assignee.  An
 * approval moves the task's due date. */
gboolean        cb_store_delay_request_decide   (CbStore         *store,
                                                 gint64           request_id,
                                                 gint64           staff_id,
                                                 gboolean         approve,
                                                 GError         **error);
/* CbDelayRequest of @task_id (all tasks when 0) in @state (any when NULL). */
GPtrArray      *cb_store_delay_request_list     (CbStore         *store,
                                                 gint64           task_id,
                                                 const char      *state,
                                                 GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbTask, cb_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbDelayRequest, cb_delay_request_free)

G_END_DECLS
