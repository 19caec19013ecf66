/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/cb-record.h"
#include "store/cb-store.h"
#include "cb-instrument.h"

G_BEGIN_DECLS

/*
 * A procedure runs a record's points on instruments, as the template's
 * "procedure" of each block says (cb-template.h): for each point the source
 * (a calibrator's output, a pressure set point) is set, the readings wait
 * until they are stable, then each reading's repeats are taken and entered
 * in the record's cells with their provenance.
 *
 * The instruments are talked to on a worker thread; the record, the store
 * and every signal belong to the main context of the thread that called
 * cb_procedure_run_async(), which must keep iterating it.  A value typed in
 * a cell is never replaced unless "overwrite-typed" is set.  On any error,
 * cancellation, pause or at the end, the sources go to standby first.
 *
 * Settling: a pressure controller's own stable flag, then @count successive
 * readings of the first acquiring instrument whose spread is within
 * @tolerance × max(|mean|, range), within @timeout seconds of the
 * procedure's clock.
 */

#define CB_PROCEDURE_ERROR (cb_procedure_error_quark ())

typedef enum
{
  CB_PROCEDURE_ERROR_INVALID,      /* no procedure, no such block, a role without an instrument */
  CB_PROCEDURE_ERROR_BUSY,         /* already running */
  CB_PROCEDURE_ERROR_SETTLE,       /* the readings did not settle within the timeout */
  CB_PROCEDURE_ERROR_OVERLOAD,     /* the instrument read an overload */
  CB_PROCEDURE_ERROR_ABORTED,      /* the caller chose to abort after a failure */
} CbProcedureError;

typedef enum
{
  CB_PROCEDURE_STATE_IDLE,
  CB_PROCEDURE_STATE_RUNNING,
  CB_PROCEDURE_STATE_PAUSED,
  CB_PROCEDURE_STATE_WAITING,      /* a failure waits for cb_procedure_resolve() */
  CB_PROCEDURE_STATE_FINISHED,
} CbProcedureState;

/* What to do after a point failed. */
typedef enum
{
  CB_PROCEDURE_ACTION_WAIT,        /* decide later with cb_procedure_resolve() */
  CB_PROCEDURE_ACTION_RETRY,
  CB_PROCEDURE_ACTION_SKIP,
  CB_PROCEDURE_ACTION_ABORT,
} CbProcedureAction;

/* Where a cell's value came from. */
typedef struct
{
  char      *cell;          /* "dcv/3/r/7" */
  char      *value;         /* as entered */
  char      *role;          /* the template's role: "uut" */
  char      *instrument;    /* the identity as the instrument gave it */
  char      *serial;        /* from the identity, or NULL */
  char      *raw;           /* the whole reply */
  GDateTime *time;          /* UTC, when the reply was complete */
  char      *environment;   /* JSON of the room's conditions then, or NULL */
} CbProvenance;

/* Monotonic microseconds, for settling timeouts; called on the worker thread. */
typedef gint64 (*CbProcedureClock) (gpointer user_data);

#define CB_TYPE_PROCEDURE_STATE (cb_procedure_state_get_type ())
#define CB_TYPE_PROCEDURE_ACTION (cb_procedure_action_get_type ())
#define CB_TYPE_PROCEDURE (cb_procedure_get_type ())

G_DECLARE_FINAL_TYPE (CbProcedure, cb_procedure, CB, PROCEDURE, GObject)

GQuark              cb_procedure_error_quark     (void);
GType               cb_procedure_state_get_type  (void);
GType               cb_procedure_action_get_type (void);

/* @record must outlive the procedure.  @block NULL runs every block with a
 * procedure.  @instruments maps each role (char *) to a CbInstrument; the
 * procedure keeps its own references. */
CbProcedure        *cb_procedure_new             (CbRecord           *record,
                                                  const char         *block,
                                                  GHashTable         *instruments,
                                                  GError            **error);
/* Writes each value to @record_id's readings in @store as it is entered. */
void                cb_procedure_set_store       (CbProcedure        *self,
                                                  CbStore            *store,
                                                  gint64              record_id);
/* Each value's provenance names the conditions logged in @room of @store
 * (the last reading up to an hour before it). */
void                cb_procedure_set_environment (CbProcedure        *self,
                                                  CbStore            *store,
                                                  const char         *room);
void                cb_procedure_set_clock       (CbProcedure        *self,
                                                  CbProcedureClock    clock,
                                                  gpointer            user_data);
void                cb_procedure_set_overwrite_typed (CbProcedure    *self,
                                                  gboolean            overwrite);
gboolean            cb_procedure_get_overwrite_typed (CbProcedure    *self);

/* Points in the run, and the one under way (from 1, 0 before the first). */
guint               cb_procedure_get_n_points    (CbProcedure        *self);
guint               cb_procedure_get_point       (CbProcedure        *self);
/* The block and the point in it (from 1) under way; FALSE before the first. */
gboolean            cb_procedure_get_step        (CbProcedure        *self,
                                                  const char        **block,
                                                  guint              *point);
CbProcedureState    cb_procedure_get_state       (CbProcedure        *self);
/* Of a value the procedure entered, or NULL. */
const CbProvenance *cb_procedure_get_provenance  (CbProcedure        *self,
                                                  const char         *cell);

void                cb_procedure_run_async       (CbProcedure        *self,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean            cb_procedure_run_finish      (CbProcedure        *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* Stops before the next reading with the sources in standby; the point under
 * way starts again on resume. */
void                cb_procedure_pause           (CbProcedure        *self);
void                cb_procedure_resume          (CbProcedure        *self);
/* Leaves the point under way (or the one waiting for a decision) empty. */
void                cb_procedure_skip_point      (CbProcedure        *self);
/* The decision on a failure that waits for one. */
void                cb_procedure_resolve         (CbProcedure        *self,
                                                  CbProcedureAction   action);

/* How a single reading of @cell ("dcv/3/r" or "dcv/3/r/2") is acquired, as
 * its block's procedure says: the instrument's role, its settings for that
 * point, and the scale from the instrument's unit to the record's. */
gboolean            cb_procedure_plan_reading    (CbRecord           *record,
                                                  const char         *cell,
                                                  char              **role,
                                                  CbMeasureSettings  *settings,
                                                  double             *scale,
                                                  GError            **error);
/* @reading in the record's unit, with the instrument's digits. */
char               *cb_procedure_reading_text    (const CbReading    *reading,
                                                  double              scale);

G_END_DECLS
