/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/cb-format.h"
#include "core/cb-json-text.h"
#include "store/cb-store-environment.h"
#include "store/cb-store-readings.h"
#include "store/cb-store-records.h"
#include "cb-procedure.h"

/* Conditions older than this do not describe a reading. */
#define ENVIRONMENT_MAX_AGE_MINUTES 60

typedef struct
{
  char              *reading;       /* the reading's name */
  char              *role;
  CbInstrument      *instrument;
  CbMeasureSettings  measure;       /* in the instrument's unit */
  double             scale;
  double             range;         /* in the instrument's unit, 0: none */
  guint              repeats;
} Acquire;

/* One point of one block, prepared on the main context before the run. */
typedef struct
{
  char             *block;
  guint             point;          /* from 1 */
  gboolean          typed;          /* every cell already typed: nothing to do */
  char             *source_role;
  CbInstrument     *source;         /* borrowed from the procedure's map */
  CbSourceSettings  source_settings;
  GPtrArray        *acquires;       /* Acquire */
  guint             settle_count;
  double            settle_tolerance;
  double            settle_timeout;
} Step;

/* A value taken on the worker thread, to be entered on the main context. */
typedef struct
{
  char      *cell;
  char      *text;
  Acquire   *acquire;
  CbReading *reading;
} Taken;

typedef enum
{
  POST_STATE,
  POST_FILL,
  POST_FAILURE,
} PostKind;

/* A message from the worker to the main context; the worker waits until it
 * has been handled. */
typedef struct
{
  CbProcedure       *self;
  PostKind           kind;
  CbProcedureState   state;
  guint              point;
  Step              *step;
  GPtrArray         *taken;
  const GError      *error;
  GError            *fill_error;
  CbProcedureAction  action;
  gboolean           done;
} Post;

typedef enum
{
  STEP_DONE,
  STEP_FAILED,
  STEP_PAUSED,
  STEP_SKIPPED,
} StepStatus;

struct _CbProcedure
{
  GObject             parent_instance;

  CbRecord           *record;
  GHashTable         *instruments;    /* role → CbInstrument */
  GPtrArray          *steps;          /* Step */
  GHashTable         *provenance;     /* cell → CbProvenance */
  CbStore            *store;
  gint64              record_id;
  CbStore            *environment_store;
  char               *room;
  CbProcedureClock    clock;
  gpointer            clock_data;
  gboolean            overwrite_typed;

  GMainContext       *context;        /* the caller's, while running */
  guint               point;
  CbProcedureState    state;

  /* Shared with the worker. */
  GMutex              lock;
  GCond               cond;
  gboolean            pause_requested;
  gboolean            skip_requested;
  CbProcedureAction   decision;
};

G_DEFINE_FINAL_TYPE (CbProcedure, cb_procedure, G_TYPE_OBJECT)
G_DEFINE_QUARK (cb-procedure-error-quark, cb_procedure_error)
G_DEFINE_ENUM_TYPE (CbProcedureState, cb_procedure_state,
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_STATE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_STATE_PAUSED, "paused"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_STATE_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_STATE_FINISHED, "finished"))
G_DEFINE_ENUM_TYPE (CbProcedureAction, cb_procedure_action,
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_ACTION_WAIT, "wait"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_ACTION_RETRY, "retry"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_ACTION_SKIP, "skip"),
                    G_DEFINE_ENUM_VALUE (CB_PROCEDURE_ACTION_ABORT, "abort"))

enum
{
  PROP_0,
  PROP_N_POINTS,
  PROP_POINT,
  PROP_STATE,
  PROP_OVERWRITE_TYPED,
  N_PROPS
};

enum
{
  POINT_DONE,
  POINT_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers: the plan. */

static void
acquire_free (Acquire *acquire)
{
  g_free (acquire->reading);
  g_free (acquire->role);
  g_free (acquire);
}

static void
step_free (Step *step)
{
  g_free (step->block);
  g_free (step->source_role);
  g_clear_pointer (&step->acquires, g_ptr_array_unref);
  g_free (step);
}

static void
taken_free (Taken *taken)
{
  g_free (taken->cell);
  g_free (taken->text);
  g_clear_pointer (&taken->reading, cb_reading_free);
  g_free (taken);
}

static void
provenance_free (CbProvenance *provenance)
{
  g_free (provenance->cell);
  g_free (provenance->value);
  g_free (provenance->role);
  g_free (provenance->instrument);
  g_free (provenance->serial);
  g_free (provenance->raw);
  g_clear_pointer (&provenance->time, g_date_time_unref);
  g_free (provenance->environment);
  g_free (provenance);
}

/* The template's quantity names ("resistance") and the instruments' ("res"). */
static gboolean
parse_quantity (const char *name,
                CbQuantity *quantity)
{
  if (g_strcmp0 (name, "resistance") == 0)
    {
      *quantity = CB_QUANTITY_RESISTANCE;
      return TRUE;
    }
  return cb_quantity_from_name (name, quantity);
}

static double
member_double (JsonObject *object,
               const char *member,
               double      fallback)
{
  if (object == NULL || !json_object_has_member (object, member))
    return fallback;
  return json_object_get_double_member (object, member);
}

/* A point's fixed value (nominal or attribute) named by @member of @object. */
static gboolean
point_value (CbRecord    *record,
             const char  *block,
             guint        point,
             JsonObject  *object,
             const char  *member,
             double      *value,
             GError     **error)
{
  g_autofree char *cell = NULL;
  CbCell out;

  if (!json_object_has_member (object, member))
    {
      *value = 0;
      return TRUE;
    }
  cell = g_strdup_printf ("%s/%u/%s", block, point, json_object_get_string_member (object, member));
  if (!cb_record_get_cell (record, cell, &out, error))
    return FALSE;
  if (out.state != CB_CELL_OK)
    {
      g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                   _("%s: the point has no value for “%s”"), cell,
                   json_object_get_string_member (object, member));
      return FALSE;
    }
  *value = out.value;
  return TRUE;
}

static CbInstrument *
find_instrument (CbProcedure  *self,
                 const char   *role,
                 const char   *block,
                 GError      **error)
{
  CbInstrument *instrument = g_hash_table_lookup (self->instruments, role);

  if (instrument == NULL)
    g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                 _("block “%s”: no instrument is given for the role “%s”"), block, role);
  return instrument;
}

static gboolean
plan_block (CbProcedure  *self,
            guint         block,
            GError      **error)
{
  CbTemplate *tmpl = cb_record_get_template (self->record);
  JsonObject *procedure = cb_template_get_block_procedure (tmpl, block);
  const char *name = cb_template_get_block_name (tmpl, block);
  JsonObject *source = json_object_has_member (procedure, "source")
                       ? json_object_get_object_member (procedure, "source") : NULL;
  JsonObject *settle = json_object_has_member (procedure, "settle")
                       ? json_object_get_object_member (procedure, "settle") : NULL;
  JsonArray *acquire = json_object_has_member (procedure, "acquire")
                       ? json_object_get_array_member (procedure, "acquire") : NULL;
  guint n_points = cb_record_get_n_points (self->record, block);
  CbInstrument *source_instrument = NULL;

  if (source != NULL)
    {
      source_instrument = find_instrument (self, json_object_get_string_member (source, "role"), name, error);
      if (source_instrument == NULL)
        return FALSE;
    }
  for (guint i = 0; acquire != NULL && i < json_array_get_length (acquire); i++)
    if (find_instrument (self, json_object_get_string_member (json_array_get_object_element (acquire, i), "role"),
                         name, error) == NULL)
      return FALSE;

  for (guint p = 1; p <= n_points; p++)
    {
      Step *step = g_new0 (Step, 1);

      g_ptr_array_add (self->steps, step);
      step->block = g_strdup (name);
      step->point = p;
      step->acquires = g_ptr_array_new_with_free_func ((GDestroyNotify) acquire_free);
      step->settle_count = (guint) member_double (settle, "count", 3);
      step->settle_tolerance = member_double (settle, "tolerance", 0);
      step->settle_timeout = member_double (settle, "timeout", 60);

      if (source != NULL)
        {
          double scale = member_double (source, "scale", 1);
          double value, frequency;

          step->source_role = g_strdup (json_object_get_string_member (source, "role"));
          step->source = source_instrument;
          if (!parse_quantity (json_object_get_string_member (source, "quantity"),
                               &step->source_settings.quantity) ||
              !point_value (self->record, name, p, source, "value", &value, error) ||
              !point_value (self->record, name, p, source, "frequency", &frequency, error))
            return FALSE;
          step->source_settings.value = value * scale;
          step->source_settings.frequency = frequency;
        }

      for (guint i = 0; acquire != NULL && i < json_array_get_length (acquire); i++)
        {
          JsonObject *object = json_array_get_object_element (acquire, i);
          Acquire *a = g_new0 (Acquire, 1);
          double range;

          g_ptr_array_add (step->acquires, a);
          a->reading = g_strdup (json_object_get_string_member (object, "reading"));
          a->role = g_strdup (json_object_get_string_member (object, "role"));
          a->instrument = g_hash_table_lookup (self->instruments, a->role);
          a->scale = member_double (object, "scale", 1);
          a->repeats = 1;
          for (guint r = 0; r < cb_template_get_n_readings (tmpl, block); r++)
            {
              guint repeats = 1;

              if (g_strcmp0 (cb_template_get_reading (tmpl, block, r, &repeats, NULL), a->reading) == 0)
                a->repeats = MAX (repeats, 1);
            }
          if (!parse_quantity (json_object_get_string_member (object, "quantity"), &a->measure.quantity) ||
              !point_value (self->record, name, p, object, "range", &range, error))
            return FALSE;
          a->range = fabs (range * a->scale);
          a->measure.range = a->range;
        }
    }
  return TRUE;
}

gboolean
cb_procedure_plan_reading (CbRecord           *record,
                           const char         *cell,
                           char              **role,
                           CbMeasureSettings  *settings,
                           double             *scale,
                           GError            **error)
{
  CbTemplate *tmpl;
  g_auto(GStrv) parts = NULL;
  JsonObject *procedure;
  JsonArray *acquire;
  guint64 point;
  int block;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (cell != NULL, FALSE);

  tmpl = cb_record_get_template (record);
  parts = g_strsplit (cell, "/", 0);
  block = g_strv_length (parts) >= 3 ? cb_template_find_block (tmpl, parts[0]) : -1;
  if (block < 0 || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT, &point, NULL))
    {
      g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                   _("“%s” is not a reading of the record (block/point/reading expected)"), cell);
      return FALSE;
    }
  procedure = cb_template_get_block_procedure (tmpl, (guint) block);
  acquire = procedure != NULL && json_object_has_member (procedure, "acquire")
            ? json_object_get_array_member (procedure, "acquire") : NULL;
  for (guint i = 0; acquire != NULL && i < json_array_get_length (acquire); i++)
    {
      JsonObject *object = json_array_get_object_element (acquire, i);
      double range;

      if (g_strcmp0 (json_object_get_string_member (object, "reading"), parts[2]) != 0)
        continue;
      memset (settings, 0, sizeof *settings);
      if (!parse_quantity (json_object_get_string_member (object, "quantity"), &settings->quantity))
        {
          g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                       _("block “%s”: the quantity “%s” is not one an instrument measures"),
                       parts[0], json_object_get_string_member (object, "quantity"));
          return FALSE;
        }
      if (!point_value (record, parts[0], (guint) point, object, "range", &range, error))
        return FALSE;
      *scale = member_double (object, "scale", 1);
      settings->range = fabs (range * *scale);
      *role = g_strdup (json_object_get_string_member (object, "role"));
      return TRUE;
    }
  g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
               _("“%s” is typed, no instrument of the procedure measures it"), cell);
  return FALSE;
}

static char *
cell_id (const Step    *step,
         const Acquire *acquire,
         guint          repeat)
{
  if (acquire->repeats > 1)
    return g_strdup_printf ("%s/%u/%s/%u", step->block, step->point, acquire->reading, repeat);
  return g_strdup_printf ("%s/%u/%s", step->block, step->point, acquire->reading);
}

/* A cell holds something the procedure did not enter: typed by someone. */
static gboolean
cell_is_typed (CbProcedure *self,
               const char  *cell)
{
  CbCell out;

  if (g_hash_table_contains (self->provenance, cell))
    return FALSE;
  return cb_record_get_cell (self->record, cell, &out, NULL) && out.text != NULL;
}

static void
mark_typed_steps (CbProcedure *self)
{
  for (guint s = 0; s < self->steps->len; s++)
    {
      Step *step = g_ptr_array_index (self->steps, s);
      gboolean typed = !self->overwrite_typed;

      for (guint i = 0; i < step->acquires->len && typed; i++)
        {
          Acquire *acquire = g_ptr_array_index (step->acquires, i);

          for (guint r = 1; r <= acquire->repeats && typed; r++)
            {
              g_autofree char *cell = cell_id (step, acquire, r);

              typed = cell_is_typed (self, cell);
            }
        }
      step->typed = typed;
    }
}

/* Helpers: values. */

/* Significant digits of a number as text: "+1.00000123E+00" has 9. */
static guint
count_digits (const char *text)
{
  guint n = 0;
  gboolean leading = TRUE;

  for (const char *p = text; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    {
      if (!g_ascii_isdigit (*p))
        continue;
      if (*p == '0' && leading)
        continue;
      leading = FALSE;
      n++;
    }
  return CLAMP (n, 1, 17);
}

/* The reading in the record's unit: the instrument's digits when the scale
 * is 1, else as many significant digits as it gave. */
char *
cb_procedure_reading_text (const CbReading *reading,
                           double           scale)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = NULL;

  if (scale == 1)
    return g_strdup (reading->text);
  format = g_strdup_printf ("%%.%uG", count_digits (reading->text));
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, reading->value / scale));
}

/* "Keysight Technologies,34461A,MY53207382,A.02…": the third field. */
static char *
identity_serial (const char *identity)
{
  g_auto(GStrv) fields = NULL;

  if (identity == NULL)
    return NULL;
  fields = g_strsplit (identity, ",", -1);
  if (g_strv_length (fields) < 4)
    return NULL;
  return g_strdup (g_strstrip (fields[2]));
}

static char *
environment_at (CbProcedure *self,
                GDateTime   *time)
{
  g_autoptr(CbEnvironmentReading) conditions = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;

  if (self->environment_store == NULL)
    return NULL;
  iso = g_date_time_format_iso8601 (time);
  conditions = cb_store_environment_at (self->environment_store, self->room, iso,
                                        ENVIRONMENT_MAX_AGE_MINUTES, &error);
  if (conditions == NULL)
    {
      g_debug ("no conditions for %s: %s", iso, error->message);
      return NULL;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "room");
  json_builder_add_string_value (builder, conditions->room);
  json_builder_set_member_name (builder, "sensor");
  json_builder_add_string_value (builder, conditions->sensor);
  json_builder_set_member_name (builder, "measured_at");
  json_builder_add_string_value (builder, conditions->measured_at);
  if (conditions->temperature != NULL)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_string_value (builder, conditions->temperature);
    }
  if (conditions->humidity != NULL)
    {
      json_builder_set_member_name (builder, "humidity");
      json_builder_add_string_value (builder, conditions->humidity);
    }
  if (conditions->pressure != NULL)
    {
      json_builder_set_member_name (builder, "pressure");
      json_builder_add_string_value (builder, conditions->pressure);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return cb_json_to_text (root, FALSE);
}

/* Enters a point's values: on the main context, with the record's owner. */
static gboolean
fill_point (CbProcedure  *self,
            Step         *step,
            GPtrArray    *taken,
            GError      **error)
{
  g_autoptr(GPtrArray) entered = g_ptr_array_new ();

  if (self->store != NULL && !cb_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < taken->len; i++)
    {
      Taken *t = g_ptr_array_index (taken, i);
      CbProvenance *provenance;
      const char *identity = cb_instrument_get_identity (t->acquire->instrument);

      if (!self->overwrite_typed && cell_is_typed (self, t->cell))
        continue;

      provenance = g_new0 (CbProvenance, 1);
      provenance->cell = g_strdup (t->cell);
      provenance->value = g_strdup (t->text);
      provenance->role = g_strdup (t->acquire->role);
      provenance->instrument = g_strdup (identity);
      provenance->serial = identity_serial (identity);
      provenance->raw = g_strdup (t->reading->raw);
      provenance->time = g_date_time_ref (t->reading->time);
      provenance->environment = environment_at (self, t->reading->time);

      if (self->store != NULL)
        {
          g_autofree char *taken_at = g_date_time_format_iso8601 (provenance->time);

          if (cb_store_record_add_reading (self->store, self->record_id, t->cell, t->text, "instrument",
                                           identity, t->reading->raw, taken_at, provenance->environment,
                                           error) == 0)
            {
              provenance_free (provenance);
              cb_store_rollback (self->store);
              return FALSE;
            }
        }
      g_ptr_array_add (entered, provenance);
    }
  if (self->store != NULL && !cb_store_commit (self->store, error))
    {
      g_ptr_array_foreach (entered, (GFunc) provenance_free, NULL);
      return FALSE;
    }

  /* Only once stored: the record never shows what the store refused. */
  for (guint i = 0; i < entered->len; i++)
    {
      CbProvenance *provenance = g_ptr_array_index (entered, i);

      cb_record_set_value (self->record, provenance->cell, provenance->value, NULL);
      g_hash_table_replace (self->provenance, provenance->cell, provenance);
    }
  return TRUE;
}

static void
set_state (CbProcedure      *self,
           CbProcedureState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Helpers: the worker thread. */

static gboolean
handle_post (gpointer user_data)
{
  Post *post = user_data;
  CbProcedure *self = post->self;

  switch (post->kind)
    {
    case POST_STATE:
      if (post->point != self->point)
        {
          self->point = post->point;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINT]);
        }
      set_state (self, post->state);
      break;

    case POST_FILL:
      if (fill_point (self, post->step, post->taken, &post->fill_error))
        g_signal_emit (self, signals[POINT_DONE], 0, post->step->block, post->step->point);
      break;

    case POST_FAILURE:
      post->action = CB_PROCEDURE_ACTION_ABORT;
      g_mutex_lock (&self->lock);
      self->decision = CB_PROCEDURE_ACTION_WAIT;
      g_mutex_unlock (&self->lock);
      set_state (self, CB_PROCEDURE_STATE_WAITING);
      g_signal_emit (self, signals[POINT_FAILED], 0, post->step->block, post->step->point,
                     post->error, &post->action);
      if (post->action != CB_PROCEDURE_ACTION_WAIT)
        set_state (self, CB_PROCEDURE_STATE_RUNNING);
      break;

    default:
      g_assert_not_reached ();
    }

  g_mutex_lock (&self->lock);
  post->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

/* Hands @post to the main context and waits until it has been handled.  A
 * source of its own, never g_main_context_invoke(), which would run it here
 * when nobody iterates the context at this moment. */
static void
send_post (CbProcedure *self,
           Post        *post)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  post->self = self;
  post->done = FALSE;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, handle_post, post, NULL);
  g_source_set_static_name (source, "[calbench] procedure");
  g_source_attach (source, self->context);
  g_mutex_lock (&self->lock);
  while (!post->done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

static void
post_state (CbProcedure      *self,
            guint             point,
            CbProcedureState  state)
{
  Post post = { .kind = POST_STATE, .point = point, .state = state };

  send_post (self, &post);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  CbProcedure *self = user_data;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
make_safe (CbProcedure *self)
{
  GHashTableIter iter;
  gpointer value;

  /* Never cancelled: this is what a cancellation needs. */
  g_hash_table_iter_init (&iter, self->instruments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const CbDriver *driver = cb_instrument_get_driver (value);
      g_autoptr(GError) error = NULL;

      if (!g_str_equal (cb_driver_get_name (driver), "calibrator") &&
          !g_str_equal (cb_driver_get_name (driver), "pressure"))
        continue;
      if (!cb_instrument_standby (value, NULL, &error))
        g_warning ("%s: %s", cb_instrument_get_identity (value), error->message);
    }
}

/* What the caller asked for since the last look: a pause or a skip. */
static StepStatus
interrupted (CbProcedure *self)
{
  StepStatus status = STEP_DONE;

  g_mutex_lock (&self->lock);
  if (self->skip_requested)
    {
      self->skip_requested = FALSE;
      status = STEP_SKIPPED;
    }
  else if (self->pause_requested)
    status = STEP_PAUSED;
  g_mutex_unlock (&self->lock);
  return status;
}

static gint64
now_us (CbProcedure *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

static CbReading *
measure (CbProcedure   *self,
         Step          *step,
         CbInstrument  *instrument,
         GCancellable  *cancellable,
         GError       **error)
{
  CbReading *reading = cb_instrument_measure (instrument, cancellable, error);

  if (reading != NULL && reading->overload)
    {
      g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_OVERLOAD,
                   _("%s point %u: the instrument read an overload (%s)"), step->block, step->point,
                   reading->text);
      g_clear_pointer (&reading, cb_reading_free);
    }
  return reading;
}

static StepStatus
settle (CbProcedure   *self,
        Step          *step,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  Acquire *acquire = g_ptr_array_index (step->acquires, 0);
  gint64 start = now_us (self);
  gint64 timeout = (gint64) (step->settle_timeout * G_USEC_PER_SEC);

  /* A controller says itself when it is there. */
  if (step->source != NULL && step->source_settings.quantity == CB_QUANTITY_PRESSURE)
    {
      CbMeasureSettings pressure = { CB_QUANTITY_PRESSURE, 0, 0 };

      if (!cb_instrument_configure (step->source, &pressure, cancellable, error))
        return STEP_FAILED;
      for (;;)
        {
          g_autoptr(CbReading) reading = NULL;
          StepStatus status = interrupted (self);

          if (status != STEP_DONE)
            return status;
          reading = measure (self, step, step->source, cancellable, error);
          if (reading == NULL)
            return STEP_FAILED;
          if (reading->stable)
            break;
          if (now_us (self) - start > timeout)
            {
              g_autofree char *seconds = cb_format_exact (step->settle_timeout);

              g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_SETTLE,
                           _("%s point %u: the controller was not stable within %s s (last %s %s)"),
                           step->block, step->point, seconds, reading->text, reading->unit);
              return STEP_FAILED;
            }
        }
    }

  if (step->settle_count <= 1)
    return STEP_DONE;
  if (!cb_instrument_configure (acquire->instrument, &acquire->measure, cancellable, error))
    return STEP_FAILED;
  for (;;)
    {
      g_autoptr(CbReading) reading = NULL;
      StepStatus status = interrupted (self);
      double min = INFINITY, max = -INFINITY, mean = 0;
      guint n;

      if (status != STEP_DONE)
        return status;
      reading = measure (self, step, acquire->instrument, cancellable, error);
      if (reading == NULL)
        return STEP_FAILED;
      g_array_append_val (values, reading->value);
      if (values->len > step->settle_count)
        g_array_remove_index (values, 0);
      n = values->len;
      for (guint i = 0; i < n; i++)
        {
          double v = g_array_index (values, double, i);

          min = MIN (min, v);
          max = MAX (max, v);
          mean += v / n;
        }
      if (n == step->settle_count && reading->stable &&
          max - min <= step->settle_tolerance * MAX (fabs (mean), acquire->range))
        return STEP_DONE;
      if (now_us (self) - start > timeout)
        {
          g_autofree char *tolerance = cb_format_exact (step->settle_tolerance);
          g_autofree char *seconds = cb_format_exact (step->settle_timeout);
          g_autofree char *spread = cb_format_significant (max - min, 2);

          g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_SETTLE,
                       _("%s point %u: %u successive readings did not agree within %s (relative) in %s s;"
                         " the last spread %s %s"),
                       step->block, step->point, step->settle_count, tolerance, seconds, spread, reading->unit);
          return STEP_FAILED;
        }
    }
}

static StepStatus
run_step (CbProcedure   *self,
          Step          *step,
          GPtrArray     *taken,
          GCancellable  *cancellable,
          GError       **error)
{
  StepStatus status;

  if (step->source != NULL &&
      !cb_instrument_source (step->source, &step->source_settings, cancellable, error))
    return STEP_FAILED;
  if (step->acquires->len == 0)
    return STEP_DONE;
  status = settle (self, step, cancellable, error);
  if (status != STEP_DONE)
    return status;

  for (guint i = 0; i < step->acquires->len; i++)
    {
      Acquire *acquire = g_ptr_array_index (step->acquires, i);

      if (!cb_instrument_configure (acquire->instrument, &acquire->measure, cancellable, error))
        return STEP_FAILED;
      for (guint r = 1; r <= acquire->repeats; r++)
        {
          Taken *t;
          CbReading *reading;

          status = interrupted (self);
          if (status != STEP_DONE)
            return status;
          reading = measure (self, step, acquire->instrument, cancellable, error);
          if (reading == NULL)
            return STEP_FAILED;
          t = g_new0 (Taken, 1);
          t->cell = cell_id (step, acquire, r);
          t->text = cb_procedure_reading_text (reading, acquire->scale);
          t->acquire = acquire;
          t->reading = reading;
          g_ptr_array_add (taken, t);
        }
    }
  return STEP_DONE;
}

/* Waits while paused (sources in standby); FALSE when cancelled. */
static gboolean
wait_while_paused (CbProcedure  *self,
                   guint         point,
                   GCancellable *cancellable)
{
  gboolean paused;

  g_mutex_lock (&self->lock);
  paused = self->pause_requested;
  g_mutex_unlock (&self->lock);
  if (!paused)
    return !g_cancellable_is_cancelled (cancellable);

  make_safe (self);
  post_state (self, point, CB_PROCEDURE_STATE_PAUSED);
  g_mutex_lock (&self->lock);
  while (self->pause_requested && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;
  post_state (self, point, CB_PROCEDURE_STATE_RUNNING);
  return TRUE;
}

/* Reports the failure and returns the caller's decision. */
static CbProcedureAction
decide (CbProcedure   *self,
        Step          *step,
        const GError  *error,
        GCancellable  *cancellable)
{
  Post post = { .kind = POST_FAILURE, .step = step, .error = error };
  CbProcedureAction action;

  send_post (self, &post);
  g_mutex_lock (&self->lock);
  self->skip_requested = FALSE;
  if (post.action != CB_PROCEDURE_ACTION_WAIT)
    self->decision = post.action;
  while (self->decision == CB_PROCEDURE_ACTION_WAIT && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);
  action = self->decision;
  self->decision = CB_PROCEDURE_ACTION_WAIT;
  g_mutex_unlock (&self->lock);
  if (g_cancellable_is_cancelled (cancellable))
    return CB_PROCEDURE_ACTION_ABORT;
  if (post.action == CB_PROCEDURE_ACTION_WAIT)
    post_state (self, step->point, CB_PROCEDURE_STATE_RUNNING);
  return action;
}

static gboolean
run_steps (CbProcedure   *self,
           GCancellable  *cancellable,
           GError       **error)
{
  for (guint s = 0; s < self->steps->len; s++)
    {
      Step *step = g_ptr_array_index (self->steps, s);

      post_state (self, s + 1, CB_PROCEDURE_STATE_RUNNING);
      if (step->typed)
        continue;

      for (;;)
        {
          g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func ((GDestroyNotify) taken_free);
          g_autoptr(GError) local_error = NULL;
          StepStatus status;
          CbProcedureAction action;

          if (!wait_while_paused (self, s + 1, cancellable))
            {
              g_cancellable_set_error_if_cancelled (cancellable, error);
              return FALSE;
            }

          status = run_step (self, step, taken, cancellable, &local_error);
          if (status == STEP_PAUSED)
            continue;
          if (status == STEP_SKIPPED)
            break;
          if (status == STEP_DONE)
            {
              Post post = { .kind = POST_FILL, .step = step, .taken = taken };

              send_post (self, &post);
              if (post.fill_error == NULL)
                break;
              local_error = post.fill_error;
            }

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          /* Nothing stays switched on while someone decides. */
          make_safe (self);
          action = decide (self, step, local_error, cancellable);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (action == CB_PROCEDURE_ACTION_SKIP)
            break;
          if (action == CB_PROCEDURE_ACTION_ABORT)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("aborted at %s point %u: "), step->block, step->point);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CbProcedure *self = source_object;
  GError *error = NULL;
  gulong handler = 0;
  gboolean ok;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  ok = run_steps (self, cancellable, &error);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);

  /* Finished, failed or cancelled: nothing is left switched on. */
  make_safe (self);
  post_state (self, self->point, CB_PROCEDURE_STATE_FINISHED);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Callbacks. */

static CbProcedureAction
on_point_failed (CbProcedure  *self,
                 const char   *block,
                 guint         point,
                 const GError *error)
{
  /* Nobody to ask: a failure ends the run. */
  return CB_PROCEDURE_ACTION_ABORT;
}

/* Overrides. */

static void
cb_procedure_finalize (GObject *object)
{
  CbProcedure *self = CB_PROCEDURE (object);

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->instruments, g_hash_table_unref);
  g_clear_pointer (&self->provenance, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->room);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (cb_procedure_parent_class)->finalize (object);
}

static void
cb_procedure_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CbProcedure *self = CB_PROCEDURE (object);

  switch (prop_id)
    {
    case PROP_N_POINTS:
      g_value_set_uint (value, cb_procedure_get_n_points (self));
      break;
    case PROP_POINT:
      g_value_set_uint (value, self->point);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_OVERWRITE_TYPED:
      g_value_set_boolean (value, self->overwrite_typed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_procedure_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CbProcedure *self = CB_PROCEDURE (object);

  switch (prop_id)
    {
    case PROP_OVERWRITE_TYPED:
      cb_procedure_set_overwrite_typed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_procedure_class_init (CbProcedureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_procedure_finalize;
  object_class->get_property = cb_procedure_get_property;
  object_class->set_property = cb_procedure_set_property;

  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POINT] =
    g_param_spec_uint ("point", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CB_TYPE_PROCEDURE_STATE, CB_PROCEDURE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OVERWRITE_TYPED] =
    g_param_spec_boolean ("overwrite-typed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A point's values are in the record (and the store). */
  signals[POINT_DONE] =
    g_signal_new ("point-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  /* A point failed: the first handler's CbProcedureAction decides; WAIT
   * leaves the decision to cb_procedure_resolve().  Without a handler the
   * run is aborted. */
  signals[POINT_FAILED] =
    g_signal_new_class_handler ("point-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (on_point_failed), g_signal_accumulator_first_wins, NULL, NULL,
                                CB_TYPE_PROCEDURE_ACTION, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_ERROR);
}

static void
cb_procedure_init (CbProcedure *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) cb_instrument_unref);
  self->provenance = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) provenance_free);
}

/* Public API. */

CbProcedure *
cb_procedure_new (CbRecord    *record,
                  const char  *block,
                  GHashTable  *instruments,
                  GError     **error)
{
  g_autoptr(CbProcedure) self = g_object_new (CB_TYPE_PROCEDURE, NULL);
  CbTemplate *tmpl = cb_record_get_template (record);
  GHashTableIter iter;
  gpointer role, instrument;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (instruments != NULL, NULL);

  self->record = record;
  g_hash_table_iter_init (&iter, instruments);
  while (g_hash_table_iter_next (&iter, &role, &instrument))
    g_hash_table_insert (self->instruments, g_strdup (role), cb_instrument_ref (instrument));

  if (block != NULL)
    {
      int index = cb_template_find_block (tmpl, block);

      if (index < 0)
        {
          g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                       _("the template “%s” has no block “%s”"), cb_template_get_id (tmpl), block);
          return NULL;
        }
      if (cb_template_get_block_procedure (tmpl, (guint) index) == NULL)
        {
          g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                       _("block “%s” of “%s” has no procedure: its readings are typed"),
                       block, cb_template_get_id (tmpl));
          return NULL;
        }
      if (!plan_block (self, (guint) index, error))
        return NULL;
    }
  else
    {
      for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
        if (cb_template_get_block_procedure (tmpl, b) != NULL && !plan_block (self, b, error))
          return NULL;
      if (self->steps->len == 0)
        {
          g_set_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID,
                       _("no block of “%s” has a procedure: its readings are typed"), cb_template_get_id (tmpl));
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

void
cb_procedure_set_store (CbProcedure *self,
                        CbStore     *store,
                        gint64       record_id)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));
  g_return_if_fail (self->state != CB_PROCEDURE_STATE_RUNNING);

  self->store = store;
  self->record_id = record_id;
}

void
cb_procedure_set_environment (CbProcedure *self,
                              CbStore     *store,
                              const char  *room)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));
  g_return_if_fail (store == NULL || room != NULL);

  self->environment_store = store;
  g_free (self->room);
  self->room = g_strdup (room);
}

void
cb_procedure_set_clock (CbProcedure      *self,
                        CbProcedureClock  clock,
                        gpointer          user_data)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));
  g_return_if_fail (self->context == NULL);

  self->clock = clock;
  self->clock_data = user_data;
}

void
cb_procedure_set_overwrite_typed (CbProcedure *self,
                                  gboolean     overwrite)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));

  overwrite = !!overwrite;
  if (self->overwrite_typed == overwrite)
    return;
  self->overwrite_typed = overwrite;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERWRITE_TYPED]);
}

gboolean
cb_procedure_get_overwrite_typed (CbProcedure *self)
{
  g_return_val_if_fail (CB_IS_PROCEDURE (self), FALSE);
  return self->overwrite_typed;
}

guint
cb_procedure_get_n_points (CbProcedure *self)
{
  g_return_val_if_fail (CB_IS_PROCEDURE (self), 0);
  return self->steps->len;
}

guint
cb_procedure_get_point (CbProcedure *self)
{
  g_return_val_if_fail (CB_IS_PROCEDURE (self), 0);
  return self->point;
}

gboolean
cb_procedure_get_step (CbProcedure  *self,
                       const char  **block,
                       guint        *point)
{
  Step *step;

  g_return_val_if_fail (CB_IS_PROCEDURE (self), FALSE);

  if (self->point == 0 || self->steps == NULL || self->point > self->steps->len)
    return FALSE;
  step = g_ptr_array_index (self->steps, self->point - 1);
  if (block != NULL)
    *block = step->block;
  if (point != NULL)
    *point = step->point;
  return TRUE;
}

CbProcedureState
cb_procedure_get_state (CbProcedure *self)
{
  g_return_val_if_fail (CB_IS_PROCEDURE (self), CB_PROCEDURE_STATE_IDLE);
  return self->state;
}

const CbProvenance *
cb_procedure_get_provenance (CbProcedure *self,
                             const char  *cell)
{
  g_return_val_if_fail (CB_IS_PROCEDURE (self), NULL);
  return g_hash_table_lookup (self->provenance, cell);
}

void
cb_procedure_run_async (CbProcedure         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CB_IS_PROCEDURE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_procedure_run_async);
  /* Cancelled before it ran, the sources still go to standby. */
  g_task_set_check_cancellable (task, FALSE);
  if (self->state != CB_PROCEDURE_STATE_IDLE && self->state != CB_PROCEDURE_STATE_FINISHED)
    {
      g_task_return_new_error (task, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_BUSY,
                               _("the procedure is already running"));
      return;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->pause_requested = FALSE;
  self->skip_requested = FALSE;
  self->decision = CB_PROCEDURE_ACTION_WAIT;
  mark_typed_steps (self);
  self->point = 0;
  set_state (self, CB_PROCEDURE_STATE_RUNNING);
  g_task_run_in_thread (task, run_thread);
}

gboolean
cb_procedure_run_finish (CbProcedure   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cb_procedure_pause (CbProcedure *self)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));

  g_mutex_lock (&self->lock);
  self->pause_requested = TRUE;
  g_mutex_unlock (&self->lock);
}

void
cb_procedure_resume (CbProcedure *self)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));

  g_mutex_lock (&self->lock);
  self->pause_requested = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
cb_procedure_skip_point (CbProcedure *self)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));

  g_mutex_lock (&self->lock);
  if (self->state == CB_PROCEDURE_STATE_WAITING)
    self->decision = CB_PROCEDURE_ACTION_SKIP;
  else
    self->skip_requested = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
cb_procedure_resolve (CbProcedure       *self,
                      CbProcedureAction  action)
{
  g_return_if_fail (CB_IS_PROCEDURE (self));
  g_return_if_fail (action != CB_PROCEDURE_ACTION_WAIT);

  g_mutex_lock (&self->lock);
  self->decision = action;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}
