/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/cb-format.h"
#include "store/cb-store-environment.h"
#include "cb-environment-logger.h"

/* The quantities a thermohygrometer gives, in the log's columns. */
enum
{
  LIMIT_TEMPERATURE,
  LIMIT_HUMIDITY,
  N_LIMITS
};

typedef struct
{
  double     min;
  double     max;
  gboolean   alarmed;   /* outside since the last alarm */
  CbReading *last;      /* the last reading of the quantity, or NULL */
} Limit;

struct _CbEnvironmentLogger
{
  GObject       parent_instance;

  CbInstrument *sensor;         /* NULL until a port is open */
  char         *port;           /* the sensor's port, when the logger opens it */
  CbStore      *store;
  char         *room;
  char         *sensor_name;    /* NULL: the model, once the sensor is open */
  char         *error;          /* why the last reading failed; NULL after one succeeded */
  char         *temperature;    /* the last logged values, as the sensor sent them */
  char         *humidity;
  Limit         limits[N_LIMITS];
  guint         interval;
  GSource      *timer;
  GCancellable *cancellable;     /* of the reading under way */
  guint         n_logged;
};

G_DEFINE_FINAL_TYPE (CbEnvironmentLogger, cb_environment_logger, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ROOM,
  PROP_INTERVAL,
  PROP_N_LOGGED,
  PROP_ERROR,
  PROP_ALARMED,
  N_PROPS
};

enum
{
  LOGGED,
  ALARM,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers. */

static int
limit_index (CbQuantity quantity)
{
  switch (quantity)
    {
    case CB_QUANTITY_TEMPERATURE:
      return LIMIT_TEMPERATURE;
    case CB_QUANTITY_HUMIDITY:
      return LIMIT_HUMIDITY;
    default:
      return -1;
    }
}

/* What the log calls the sensor: its given name, else its model. */
static const char *
get_sensor_name (CbEnvironmentLogger *self)
{
  const char *model;

  if (self->sensor_name != NULL)
    return self->sensor_name;
  model = cb_instrument_get_model (self->sensor);
  return model != NULL ? model : cb_instrument_get_identity (self->sensor);
}

static void
set_error (CbEnvironmentLogger *self,
           const GError        *error)
{
  if (g_strcmp0 (self->error, error != NULL ? error->message : NULL) == 0)
    return;
  g_free (self->error);
  self->error = error != NULL ? g_strdup (error->message) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static char *
describe_limit (double value)
{
  return isnan (value) ? g_strdup ("—") : cb_format_exact (value);
}

/* Raises the alarm when @reading is outside @limit, once until it is back
 * within; "alarmed" follows. */
static void
evaluate (CbEnvironmentLogger *self,
          Limit               *limit,
          const CbReading     *reading)
{
  gboolean outside = (!isnan (limit->min) && reading->value < limit->min) ||
                     (!isnan (limit->max) && reading->value > limit->max);

  if (outside && !limit->alarmed)
    {
      g_autofree char *min = describe_limit (limit->min);
      g_autofree char *max = describe_limit (limit->max);
      g_autofree char *message = NULL;

      /* TRANSLATORS: "temperature 25.3 °C in 电学室 is outside its limits 18 to 22 °C" */
      message = g_strdup_printf (_("%s %s %s in %s is outside its limits %s to %s %s"),
                                 cb_quantity_describe (reading->quantity), reading->text, reading->unit,
                                 self->room, min, max, reading->unit);
      limit->alarmed = TRUE;
      g_signal_emit (self, signals[ALARM], 0, (int) reading->quantity, reading->value,
                     limit->min, limit->max, message);
    }
  else if (!outside)
    limit->alarmed = FALSE;
}

static void
check_limits (CbEnvironmentLogger *self,
              const CbReading     *reading)
{
  int index = limit_index (reading->quantity);
  gboolean before = cb_environment_logger_get_alarmed (self);
  Limit *limit;

  if (index < 0)
    return;
  limit = &self->limits[index];
  g_clear_pointer (&limit->last, cb_reading_free);
  limit->last = cb_reading_new (reading->quantity, reading->text, reading->value, reading->unit, NULL);
  evaluate (self, limit, limit->last);
  if (before != cb_environment_logger_get_alarmed (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALARMED]);
}

static void
log_readings (CbEnvironmentLogger *self,
              GPtrArray           *readings)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *measured_at = NULL;
  const char *temperature = NULL, *humidity = NULL;
  gint64 row;

  for (guint i = 0; i < readings->len; i++)
    {
      CbReading *reading = g_ptr_array_index (readings, i);

      if (measured_at == NULL)
        measured_at = g_date_time_format_iso8601 (reading->time);
      if (reading->quantity == CB_QUANTITY_TEMPERATURE)
        temperature = reading->text;
      else if (reading->quantity == CB_QUANTITY_HUMIDITY)
        humidity = reading->text;
    }

  row = cb_store_environment_add (self->store, self->room, get_sensor_name (self), measured_at,
                                  temperature, humidity, NULL, &error);
  if (row == 0)
    {
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  g_free (self->temperature);
  self->temperature = g_strdup (temperature);
  g_free (self->humidity);
  self->humidity = g_strdup (humidity);
  /* The alarm first: whoever follows "logged" sees the limits' state of
   * this reading. */
  for (guint i = 0; i < readings->len; i++)
    check_limits (self, g_ptr_array_index (readings, i));
  self->n_logged++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LOGGED]);
  g_signal_emit (self, signals[LOGGED], 0, row, temperature, humidity);
}

/* A reading's work on the worker thread: the sensor, opened there first
 * when the logger owns its port. */
typedef struct
{
  CbInstrument *sensor;
  char         *port;
} PollJob;

static void
poll_job_free (PollJob *job)
{
  g_clear_pointer (&job->sensor, cb_instrument_unref);
  g_free (job->port);
  g_free (job);
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PollJob *job = task_data;
  GError *error = NULL;
  GPtrArray *readings;

  if (job->sensor == NULL)
    job->sensor = cb_instrument_open_port (job->port, cb_driver_find ("thermohygrometer"), cancellable, &error);
  if (job->sensor == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  readings = cb_instrument_measure_all (job->sensor, cancellable, &error);
  if (readings == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, readings, (GDestroyNotify) g_ptr_array_unref);
}

/* Callbacks. */

static void
on_measured (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CbEnvironmentLogger) self = user_data;
  g_autoptr(GError) error = NULL;
  PollJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) readings = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_object (&self->cancellable);
  if (readings == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A port of the logger's own is opened again for the next reading:
       * the sensor may have been unplugged, or its line garbled. */
      if (self->port != NULL)
        g_clear_pointer (&self->sensor, cb_instrument_unref);
      set_error (self, error);
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  if (self->sensor == NULL)
    self->sensor = cb_instrument_ref (job->sensor);
  set_error (self, NULL);
  log_readings (self, readings);
}

static gboolean
on_timer (gpointer user_data)
{
  cb_environment_logger_poll (user_data);
  return G_SOURCE_CONTINUE;
}

/* Overrides. */

static void
cb_environment_logger_dispose (GObject *object)
{
  CbEnvironmentLogger *self = CB_ENVIRONMENT_LOGGER (object);

  cb_environment_logger_stop (self);
  G_OBJECT_CLASS (cb_environment_logger_parent_class)->dispose (object);
}

static void
cb_environment_logger_finalize (GObject *object)
{
  CbEnvironmentLogger *self = CB_ENVIRONMENT_LOGGER (object);

  g_clear_pointer (&self->sensor, cb_instrument_unref);
  g_free (self->port);
  g_free (self->room);
  g_free (self->sensor_name);
  g_free (self->error);
  g_free (self->temperature);
  g_free (self->humidity);
  for (guint i = 0; i < N_LIMITS; i++)
    g_clear_pointer (&self->limits[i].last, cb_reading_free);
  G_OBJECT_CLASS (cb_environment_logger_parent_class)->finalize (object);
}

static void
cb_environment_logger_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CbEnvironmentLogger *self = CB_ENVIRONMENT_LOGGER (object);

  switch (prop_id)
    {
    case PROP_ROOM:
      g_value_set_string (value, self->room);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_N_LOGGED:
      g_value_set_uint (value, self->n_logged);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_ALARMED:
      g_value_set_boolean (value, cb_environment_logger_get_alarmed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_environment_logger_class_init (CbEnvironmentLoggerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_environment_logger_dispose;
  object_class->finalize = cb_environment_logger_finalize;
  object_class->get_property = cb_environment_logger_get_property;

  properties[PROP_ROOM] =
    g_param_spec_string ("room", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_LOGGED] =
    g_param_spec_uint ("n-logged", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALARMED] =
    g_param_spec_boolean ("alarmed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A reading is in the log: its row, temperature and humidity as text
   * (either may be NULL). */
  signals[LOGGED] =
    g_signal_new ("logged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  /* A value left its limits: the CbQuantity, the value, the limits (NAN
   * when open) and a message for the operator. */
  signals[ALARM] =
    g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_INT, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_STRING);
  /* The sensor did not answer, or the store refused the reading. */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cb_environment_logger_init (CbEnvironmentLogger *self)
{
  for (guint i = 0; i < N_LIMITS; i++)
    {
      self->limits[i].min = NAN;
      self->limits[i].max = NAN;
    }
}

/* Public API. */

CbEnvironmentLogger *
cb_environment_logger_new (CbInstrument *sensor,
                           CbStore      *store,
                           const char   *room)
{
  CbEnvironmentLogger *self;

  g_return_val_if_fail (sensor != NULL, NULL);
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (room != NULL, NULL);

  self = g_object_new (CB_TYPE_ENVIRONMENT_LOGGER, NULL);
  self->sensor = cb_instrument_ref (sensor);
  self->store = store;
  self->room = g_strdup (room);
  return self;
}

CbEnvironmentLogger *
cb_environment_logger_new_for_port (const char *port,
                                    CbStore    *store,
                                    const char *room)
{
  CbEnvironmentLogger *self;

  g_return_val_if_fail (port != NULL, NULL);
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (room != NULL, NULL);

  self = g_object_new (CB_TYPE_ENVIRONMENT_LOGGER, NULL);
  self->port = g_strdup (port);
  self->store = store;
  self->room = g_strdup (room);
  return self;
}

const char *
cb_environment_logger_get_port (CbEnvironmentLogger *self)
{
  g_return_val_if_fail (CB_IS_ENVIRONMENT_LOGGER (self), NULL);
  return self->port != NULL ? self->port : cb_transport_get_port (cb_instrument_get_transport (self->sensor));
}

const char *
cb_environment_logger_get_error (CbEnvironmentLogger *self)
{
  g_return_val_if_fail (CB_IS_ENVIRONMENT_LOGGER (self), NULL);
  return self->error;
}

gboolean
cb_environment_logger_get_alarmed (CbEnvironmentLogger *self)
{
  g_return_val_if_fail (CB_IS_ENVIRONMENT_LOGGER (self), FALSE);

  for (guint i = 0; i < N_LIMITS; i++)
    if (self->limits[i].alarmed)
      return TRUE;
  return FALSE;
}

gboolean
cb_environment_logger_get_last (CbEnvironmentLogger  *self,
                                const char          **temperature,
                                const char          **humidity)
{
  g_return_val_if_fail (CB_IS_ENVIRONMENT_LOGGER (self), FALSE);

  if (temperature != NULL)
    *temperature = self->temperature;
  if (humidity != NULL)
    *humidity = self->humidity;
  return self->n_logged > 0;
}

const char *
cb_environment_logger_get_room (CbEnvironmentLogger *self)
{
  g_return_val_if_fail (CB_IS_ENVIRONMENT_LOGGER (self), NULL);
  return self->room;
}

void
cb_environment_logger_set_sensor_name (CbEnvironmentLogger *self,
                                       const char          *name)
{
  g_return_if_fail (CB_IS_ENVIRONMENT_LOGGER (self));
  g_return_if_fail (name != NULL);

  g_free (self->sensor_name);
  self->sensor_name = g_strdup (name);
}

void
cb_environment_logger_set_limits (CbEnvironmentLogger *self,
                                  CbQuantity           quantity,
                                  double               min,
                                  double               max)
{
  int index = limit_index (quantity);
  gboolean before;

  g_return_if_fail (CB_IS_ENVIRONMENT_LOGGER (self));
  g_return_if_fail (index >= 0);

  /* The same limits again raise no second alarm for the same excursion. */
  if ((self->limits[index].min == min || (isnan (self->limits[index].min) && isnan (min))) &&
      (self->limits[index].max == max || (isnan (self->limits[index].max) && isnan (max))))
    return;
  before = cb_environment_logger_get_alarmed (self);
  self->limits[index].min = min;
  self->limits[index].max = max;
  self->limits[index].alarmed = FALSE;
  /* The room as last read, judged by the new limits at once. */
  if (self->limits[index].last != NULL)
    evaluate (self, &self->limits[index], self->limits[index].last);
  if (before != cb_environment_logger_get_alarmed (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALARMED]);
}

static double
limit_member (JsonObject *item,
              const char *member)
{
  JsonNode *node = json_object_get_member (item, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtod (json_node_get_string (node), NULL);
  return json_node_get_double (node);
}

void
cb_environment_logger_set_limits_from_template (CbEnvironmentLogger *self,
                                                CbTemplate          *tmpl)
{
  g_autoptr(JsonNode) root = cb_template_to_json (tmpl);
  JsonObject *object = json_node_get_object (root);
  JsonArray *environment = NULL;
  /* Another template's limits do not linger. */
  double limits[N_LIMITS][2] = { { NAN, NAN }, { NAN, NAN } };

  g_return_if_fail (CB_IS_ENVIRONMENT_LOGGER (self));

  if (json_object_has_member (object, "environment"))
    environment = json_object_get_array_member (object, "environment");
  for (guint i = 0; environment != NULL && i < json_array_get_length (environment); i++)
    {
      JsonObject *item = json_array_get_object_element (environment, i);
      const char *name = json_object_get_string_member_with_default (item, "name", "");
      int index;

      if (g_str_equal (name, "temperature"))
        index = LIMIT_TEMPERATURE;
      else if (g_str_equal (name, "humidity"))
        index = LIMIT_HUMIDITY;
      else
        continue;
      limits[index][0] = limit_member (item, "min");
      limits[index][1] = limit_member (item, "max");
    }
  cb_environment_logger_set_limits (self, CB_QUANTITY_TEMPERATURE, limits[LIMIT_TEMPERATURE][0], limits[LIMIT_TEMPERATURE][1]);
  cb_environment_logger_set_limits (self, CB_QUANTITY_HUMIDITY, limits[LIMIT_HUMIDITY][0], limits[LIMIT_HUMIDITY][1]);
}

void
cb_environment_logger_poll (CbEnvironmentLogger *self)
{
  g_autoptr(GTask) task = NULL;
  PollJob *job;

  g_return_if_fail (CB_IS_ENVIRONMENT_LOGGER (self));

  /* A slow sensor is not asked twice at once. */
  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_measured, g_object_ref (self));
  g_task_set_source_tag (task, cb_environment_logger_poll);
  job = g_new0 (PollJob, 1);
  job->sensor = self->sensor != NULL ? cb_instrument_ref (self->sensor) : NULL;
  job->port = g_strdup (self->port);
  g_task_set_task_data (task, job, (GDestroyNotify) poll_job_free);
  g_task_run_in_thread (task, measure_thread);
}

void
cb_environment_logger_start (CbEnvironmentLogger *self,
                             guint                interval_seconds)
{
  g_return_if_fail (CB_IS_ENVIRONMENT_LOGGER (self));
  g_return_if_fail (interval_seconds > 0);

  cb_environment_logger_stop (self);
  self->interval = interval_seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
  self->timer = g_timeout_source_new_seconds (interval_seconds);
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_static_name (self->timer, "[calbench] environment logger");
  g_source_attach (self->timer, g_main_context_get_thread_default ());
  cb_environment_logger_poll (self);
}

void
cb_environment_logger_stop (CbEnvironmentLogger *self)
{
  g_return_if_fail (CB_IS_ENVIRONMENT_LOGGER (self));

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

guint
cb_environment_logger_get_n_logged (CbEnvironmentLogger *self)
{
  g_return_val_if_fail (CB_IS_ENVIRONMENT_LOGGER (self), 0);
  return self->n_logged;
}
