/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-format.h"
#include "cb-json-text.h"
#include "cb-record.h"
#include "cb-regression.h"
#include "cb-repeatability.h"
#include "cb-rounding.h"
#include "cb-template-private.h"

/* Significant digits kept in the text of a value without a rounding rule. */
#define PLAIN_DIGITS 9

typedef struct
{
  double            *values;     /* every slot of the block's scope */
  guint8            *states;
  char             **texts;
  char             **messages;
  char            ***entered;    /* [reading][repeat]: as typed, or NULL */
  double           **entered_values;
  guint8           **entered_states;
  char            ***entered_messages;
  char             **fixed;      /* nominal, then the attributes */
  CbDecisionResult  *decisions;  /* per check */
  gboolean          *decided;
} Point;

typedef struct
{
  CbBlock   *block;
  GPtrArray *points;             /* Point */
  gboolean   overridden;         /* points set by the record, not the template */
} BlockState;

struct _CbRecord
{
  CbTemplate        *tmpl;
  GHashTable        *header;
  guint              n_slots;    /* of the results scope; the global slots first */
  double            *values;
  guint8            *states;
  char             **texts;
  char             **messages;
  GPtrArray         *blocks;     /* BlockState */
  CbDecisionResult  *decisions;  /* record-level checks */
  gboolean          *decided;
  GPtrArray         *warnings;   /* NULL-terminated */
  CbConclusion       conclusion;
  char              *conclusion_text;
  guint              last_recomputed;
};

G_DEFINE_QUARK (cb-record-error-quark, cb_record_error)

static const char *text_member (JsonObject *object,
                                const char *member);

/* ------------------------------------------------------------------ */
/* Cells                                                               */
/* ------------------------------------------------------------------ */

static void
slot_set (double  *values,
          guint8  *states,
          char   **texts,
          char   **messages,
          guint    slot,
          guint8   state,
          double   value,
          char    *text,
          char    *message)
{
  values[slot] = state == CB_CELL_OK ? value : NAN;
  states[slot] = state;
  g_free (texts[slot]);
  texts[slot] = text;
  g_free (messages[slot]);
  messages[slot] = message;
}

/* A computed value without a rounding rule: at most PLAIN_DIGITS significant
 * digits, without the trailing zeros that binary noise leaves. */
static char *
plain_text (double value)
{
  g_autoptr(CbDecimal) decimal = cb_decimal_from_double (value);
  g_autoptr(CbDecimal) rounded = NULL;
  gsize length;

  if (decimal == NULL)
    return NULL;
  if (strlen (decimal->coefficient) <= PLAIN_DIGITS)
    return cb_decimal_to_string (decimal);
  rounded = cb_round_to_significant (decimal, PLAIN_DIGITS, NULL);
  if (rounded == NULL)
    return cb_decimal_to_string (decimal);
  length = strlen (rounded->coefficient);
  while (length > 1 && rounded->coefficient[length - 1] == '0')
    {
      rounded->coefficient[--length] = '\0';
      rounded->exponent++;
    }
  return cb_decimal_to_string (rounded);
}

/* The text of a computed value by the item's rounding rule. */
/* A rounding interval computed in binary ("mpe / 10" is 0.0024000000000000002)
 * as the decimal it stands for: 15 significant digits, past which a
 * double's digits are noise. */
static CbDecimal *
interval_of (double step)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (step))
    return NULL;
  g_ascii_formatd (buffer, sizeof buffer, "%.15g", step);
  return cb_decimal_parse (buffer, NULL);
}

static char *
round_text (const CbItem  *item,
            double         value,
            const double  *values,
            char         **texts,
            GError       **error)
{
  g_autoptr(CbDecimal) decimal = cb_decimal_from_double (value);
  g_autoptr(CbDecimal) rounded = NULL;

  if (decimal == NULL)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID, _("the value is not finite"));
      return NULL;
    }

  switch (item->round)
    {
    case CB_ROUND_NONE:
      return plain_text (value);

    case CB_ROUND_INTERVAL:
      {
        g_autoptr(CbDecimal) interval = NULL;
        double step;

        if (!cb_expr_evaluate (item->round_interval, values, &step, error))
          return NULL;
        interval = interval_of (step);
        if (interval == NULL || step <= 0)
          {
            g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                         _("the rounding interval %g is not positive"), step);
            return NULL;
          }
        rounded = cb_round_to_interval (decimal, interval, error);
        break;
      }

    case CB_ROUND_SIGNIFICANT:
      rounded = cb_round_to_significant (decimal, item->round_digits, error);
      break;

    case CB_ROUND_ALIGN:
      {
        g_autoptr(CbDecimal) target = NULL;

        if (texts[item->round_align] == NULL
            || (target = cb_decimal_parse (texts[item->round_align], NULL)) == NULL)
          {
            g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                         _("nothing to align to"));
            return NULL;
          }
        rounded = cb_round_to_place (decimal, cb_decimal_get_last_place (target));
        if (rounded == NULL)
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                       _("the value cannot be rounded at that place"));
        break;
      }
    }

  return rounded != NULL ? cb_decimal_to_string (rounded) : NULL;
}

/* Whether everything @uses names is there; otherwise sets the slot. */
static gboolean
inputs_ready (const CbScope  *scope,
              GArray         *uses,
              guint8         *states,
              guint8         *state_out,
              char          **message_out)
{
  gboolean empty = FALSE;

  for (guint i = 0; i < uses->len; i++)
    {
      guint slot = g_array_index (uses, guint, i);

      if (states[slot] == CB_CELL_ERROR)
        {
          const CbItem *used = g_ptr_array_index (scope->items, slot);

          *state_out = CB_CELL_ERROR;
          *message_out = g_strdup_printf (_("needs '%s', which has an error"), used->name);
          return FALSE;
        }
      if (states[slot] == CB_CELL_EMPTY)
        empty = TRUE;
    }
  if (empty)
    {
      *state_out = CB_CELL_EMPTY;
      *message_out = NULL;
      return FALSE;
    }
  return TRUE;
}

static void
evaluate_item (const CbItem   *item,
               const CbScope  *scope,
               double         *values,
               guint8         *states,
               char          **texts,
               char          **messages)
{
  g_autoptr(GError) error = NULL;
  guint8 state;
  char *message = NULL;
  double value = NAN;
  char *text;

  if (!inputs_ready (scope, item->uses, states, &state, &message))
    {
      slot_set (values, states, texts, messages, item->slot, state, NAN, NULL, message);
      return;
    }

  switch (item->kind)
    {
    case CB_ITEM_COMBINED:
      value = 0;
      for (guint i = 0; i < item->uses->len; i++)
        {
          double c = values[g_array_index (item->uses, guint, i)];

          value += c * c;
        }
      value = sqrt (value);
      break;

    case CB_ITEM_EXPANDED:
      value = item->k * values[g_array_index (item->uses, guint, 0)];
      break;

    case CB_ITEM_COMPONENT:
      {
        double c = 1;

        if (!cb_expr_evaluate (item->expr, values, &value, &error)
            || (item->sensitivity != NULL && !cb_expr_evaluate (item->sensitivity, values, &c, &error)))
          break;
        if (value < 0)
          {
            g_set_error (&error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                         _("the standard uncertainty is negative (%g)"), value);
            break;
          }
        value = fabs (c) * value;
        break;
      }

    default:
      cb_expr_evaluate (item->expr, values, &value, &error);
      break;
    }

  if (error == NULL && !isfinite (value))
    g_set_error (&error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID, _("the value is not finite"));
  if (error != NULL)
    {
      slot_set (values, states, texts, messages, item->slot, CB_CELL_ERROR, NAN, NULL,
                g_strdup (error->message));
      return;
    }

  text = round_text (item, value, values, texts, &error);
  if (text == NULL)
    {
      slot_set (values, states, texts, messages, item->slot, CB_CELL_ERROR, NAN, NULL,
                g_strdup (error != NULL ? error->message : _("cannot be rounded")));
      return;
    }
  slot_set (values, states, texts, messages, item->slot, CB_CELL_OK, value, text, NULL);
}

static void
decide_check (const CbCheck     *check,
              const CbScope     *scope,
              double            *values,
              guint8            *states,
              CbDecisionResult  *result,
              gboolean          *decided)
{
  guint8 state;
  g_autofree char *message = NULL;
  double e, limit, expanded = 0;

  *decided = FALSE;
  if (!inputs_ready (scope, check->uses, states, &state, &message))
    return;
  if (!cb_expr_evaluate (check->error, values, &e, NULL)
      || !cb_expr_evaluate (check->limit, values, &limit, NULL)
      || (check->expanded != NULL && !cb_expr_evaluate (check->expanded, values, &expanded, NULL)))
    return;
  *decided = cb_conformity_decide (check->rule, e, fabs (limit), expanded, check->k,
                                   check->guard, result, NULL);
}

/* Reads an entered number: its digits as typed, optionally followed by the
 * reading's unit. */
static gboolean
parse_entered (const char    *text,
               const CbItem  *item,
               double        *value,
               char         **message)
{
  g_autoptr(CbDecimal) decimal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  const char *space;

  if (g_ascii_strcasecmp (text, "overload") == 0 || g_ascii_strcasecmp (text, "OL") == 0)
    {
      *message = g_strdup (_("the instrument reported an overload"));
      return FALSE;
    }

  decimal = cb_decimal_parse (text, &error);
  if (decimal == NULL && (space = strrchr (text, ' ')) != NULL)
    {
      g_autoptr(CbUnit) unit = NULL;
      g_autoptr(GError) unit_error = NULL;

      number = g_strndup (text, space - text);
      unit = cb_unit_parse (space + 1, &unit_error);
      if (unit == NULL)
        {
          *message = g_strdup (unit_error->message);
          return FALSE;
        }
      if (!cb_unit_equal (unit, item->unit))
        {
          g_autofree char *found = cb_unit_to_string (unit);

          *message = g_strdup_printf (_("expected a value in %s, found %s"), item->unit_text, found);
          return FALSE;
        }
      g_clear_error (&error);
      decimal = cb_decimal_parse (number, &error);
    }
  if (decimal == NULL)
    {
      *message = g_strdup_printf (_("expected a number: %s"), error->message);
      return FALSE;
    }
  *value = cb_decimal_to_double (decimal);
  if (!isfinite (*value))
    {
      *message = g_strdup (_("the number is out of range"));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Points                                                              */
/* ------------------------------------------------------------------ */

static Point *
point_new (const CbBlock *block)
{
  Point *point = g_new0 (Point, 1);
  guint n_slots = block->scope.items->len;
  guint n_readings = block->readings->len;

  point->values = g_new (double, n_slots);
  point->states = g_new0 (guint8, n_slots);
  point->texts = g_new0 (char *, n_slots);
  point->messages = g_new0 (char *, n_slots);
  for (guint i = 0; i < n_slots; i++)
    point->values[i] = NAN;
  point->entered = g_new0 (char **, n_readings);
  point->entered_values = g_new0 (double *, n_readings);
  point->entered_states = g_new0 (guint8 *, n_readings);
  point->entered_messages = g_new0 (char **, n_readings);
  for (guint r = 0; r < n_readings; r++)
    {
      const CbItem *reading = g_ptr_array_index (block->readings, r);

      point->entered[r] = g_new0 (char *, reading->repeats + 1);
      point->entered_values[r] = g_new0 (double, reading->repeats);
      point->entered_states[r] = g_new0 (guint8, reading->repeats);
      point->entered_messages[r] = g_new0 (char *, reading->repeats + 1);
    }
  point->fixed = g_new0 (char *, block->attributes->len + 2);
  point->decisions = g_new0 (CbDecisionResult, MAX (block->checks->len, 1));
  point->decided = g_new0 (gboolean, MAX (block->checks->len, 1));
  /* The number of slots and readings is needed to free: keep it simple by
   * storing the counts in the arrays' owners (the block). */
  return point;
}

static void
point_free (Point    *point,
            CbBlock  *block)
{
  guint n_slots = block->scope.items->len;

  for (guint i = 0; i < n_slots; i++)
    {
      g_free (point->texts[i]);
      g_free (point->messages[i]);
    }
  for (guint r = 0; r < block->readings->len; r++)
    {
      const CbItem *reading = g_ptr_array_index (block->readings, r);

      for (guint k = 0; k < reading->repeats; k++)
        {
          g_free (point->entered[r][k]);
          g_free (point->entered_messages[r][k]);
        }
      g_free (point->entered[r]);
      g_free (point->entered_values[r]);
      g_free (point->entered_states[r]);
      g_free (point->entered_messages[r]);
    }
  g_free (point->entered);
  g_free (point->entered_values);
  g_free (point->entered_states);
  g_free (point->entered_messages);
  g_strfreev (point->fixed);
  g_free (point->values);
  g_free (point->states);
  g_free (point->texts);
  g_free (point->messages);
  g_free (point->decisions);
  g_free (point->decided);
  g_free (point);
}

static void
block_state_free (BlockState *state)
{
  for (guint i = 0; i < state->points->len; i++)
    point_free (g_ptr_array_index (state->points, i), state->block);
  g_ptr_array_unref (state->points);
  g_free (state);
}

static void
block_resize (BlockState *state,
              guint       n_points)
{
  while (state->points->len > n_points)
    {
      point_free (g_ptr_array_index (state->points, state->points->len - 1), state->block);
      g_ptr_array_set_size (state->points, state->points->len - 1);
    }
  while (state->points->len < n_points)
    g_ptr_array_add (state->points, point_new (state->block));
}

/* A mean shows one digit more than the finest of the readings it comes from
 * (10.00002 and 10.00003 give 10.000025); what depends on it uses it whole. */
static char *
mean_text (double       mean,
           char * const *entered,
           guint         repeats)
{
  g_autoptr(CbDecimal) decimal = cb_decimal_from_double (mean);
  g_autoptr(CbDecimal) rounded = NULL;
  int place = G_MAXINT;

  for (guint k = 0; k < repeats; k++)
    {
      g_autofree char *number = g_strdup (entered[k]);
      g_autoptr(CbDecimal) value = NULL;
      char *space = strchr (number, ' ');

      if (space != NULL)
        *space = '\0';
      value = cb_decimal_parse (number, NULL);
      if (value != NULL)
        place = MIN (place, cb_decimal_get_last_place (value));
    }
  if (decimal != NULL && place != G_MAXINT)
    rounded = cb_round_to_place (decimal, place - 1);
  return rounded != NULL ? cb_decimal_to_string (rounded) : plain_text (mean);
}

/* Mean and statistics of a reading's repeats. */
static void
point_update_reading (const CbBlock *block,
                      Point         *point,
                      guint          r)
{
  const CbItem *reading = g_ptr_array_index (block->readings, r);
  g_autofree double *values = g_new (double, reading->repeats);
  guint8 state = CB_CELL_OK;
  char *message = NULL;
  CbSampleStats stats = { 0 };
  double min = INFINITY, max = -INFINITY;

  for (guint k = 0; k < reading->repeats; k++)
    {
      if (point->entered_states[r][k] == CB_CELL_ERROR && state != CB_CELL_ERROR)
        {
          state = CB_CELL_ERROR;
          message = reading->repeats == 1
                    ? g_strdup (point->entered_messages[r][k])
                    : g_strdup_printf (_("reading %u: %s"), k + 1, point->entered_messages[r][k]);
        }
      else if (point->entered_states[r][k] == CB_CELL_EMPTY && state == CB_CELL_OK)
        state = CB_CELL_EMPTY;
      values[k] = point->entered_values[r][k];
      min = MIN (min, values[k]);
      max = MAX (max, values[k]);
    }

  if (state == CB_CELL_OK)
    {
      if (reading->repeats == 1)
        slot_set (point->values, point->states, point->texts, point->messages, reading->slot,
                  CB_CELL_OK, values[0], g_strdup (point->entered[r][0]), NULL);
      else
        {
          cb_sample_stats (values, reading->repeats, &stats, NULL);
          slot_set (point->values, point->states, point->texts, point->messages, reading->slot,
                    CB_CELL_OK, stats.mean, mean_text (stats.mean, point->entered[r], reading->repeats), NULL);
        }
    }
  else
    slot_set (point->values, point->states, point->texts, point->messages, reading->slot,
              state, NAN, NULL, message);

  for (guint s = 0; s < block->stats->len; s++)
    {
      const CbItem *stat = g_ptr_array_index (block->stats, s);
      double value = NAN;

      if (stat->reading_slot != reading->slot)
        continue;
      if (state != CB_CELL_OK)
        {
          slot_set (point->values, point->states, point->texts, point->messages, stat->slot, state,
                    NAN, NULL, state == CB_CELL_ERROR ? g_strdup_printf (_("needs '%s', which has an error"),
                                                                         reading->name) : NULL);
          continue;
        }
      switch (stat->stat)
        {
        case CB_STAT_N:     value = reading->repeats; break;
        case CB_STAT_S:     value = stats.s; break;
        case CB_STAT_MIN:   value = min; break;
        case CB_STAT_MAX:   value = max; break;
        case CB_STAT_RANGE: value = max - min; break;
        }
      if (stat->stat == CB_STAT_S && reading->repeats < 2)
        slot_set (point->values, point->states, point->texts, point->messages, stat->slot,
                  CB_CELL_ERROR, NAN, NULL,
                  g_strdup_printf (_("a standard deviation needs at least 2 readings of '%s'"),
                                   reading->name));
      else
        slot_set (point->values, point->states, point->texts, point->messages, stat->slot,
                  CB_CELL_OK, value, plain_text (value), NULL);
    }
}

static void
point_set_fixed (const CbBlock *block,
                 Point         *point)
{
  for (guint i = 0; i <= block->attributes->len; i++)
    {
      const CbItem *item = i == 0 ? block->nominal : g_ptr_array_index (block->attributes, i - 1);
      g_autoptr(CbDecimal) decimal = NULL;

      if (point->fixed[i] == NULL
          || (decimal = cb_decimal_parse (point->fixed[i], NULL)) == NULL)
        slot_set (point->values, point->states, point->texts, point->messages, item->slot,
                  CB_CELL_EMPTY, NAN, NULL, NULL);
      else
        slot_set (point->values, point->states, point->texts, point->messages, item->slot,
                  CB_CELL_OK, cb_decimal_to_double (decimal), g_strdup (point->fixed[i]), NULL);
    }
}

static void
point_decide (const CbBlock *block,
              Point         *point)
{
  for (guint c = 0; c < block->checks->len; c++)
    decide_check (g_ptr_array_index (block->checks, c), &block->scope, point->values,
                  point->states, &point->decisions[c], &point->decided[c]);
}

/* ------------------------------------------------------------------ */
/* Recomputation                                                       */
/* ------------------------------------------------------------------ */

static void
record_set_warnings (CbRecord *record)
{
  CbTemplate *tmpl = record->tmpl;

  g_ptr_array_set_size (record->warnings, 0);
  for (guint i = 0; i < tmpl->inputs->len; i++)
    {
      const CbItem *item = g_ptr_array_index (tmpl->inputs, i);
      g_autoptr(CbDecimal) value = NULL;
      g_autoptr(CbDecimal) min = NULL;
      g_autoptr(CbDecimal) max = NULL;

      if (item->kind != CB_ITEM_ENVIRONMENT || record->states[item->slot] != CB_CELL_OK)
        continue;
      value = cb_decimal_parse (record->texts[item->slot], NULL);
      if (value == NULL)
        continue;
      if (item->min_text != NULL)
        min = cb_decimal_parse (item->min_text, NULL);
      if (item->max_text != NULL)
        max = cb_decimal_parse (item->max_text, NULL);
      if ((min != NULL && cb_decimal_compare (value, min) < 0)
          || (max != NULL && cb_decimal_compare (value, max) > 0))
        g_ptr_array_add (record->warnings,
                         g_strdup_printf (_("%s %s %s is outside %s to %s %s"), item->label,
                                          record->texts[item->slot], item->unit_text,
                                          item->min_text != NULL ? item->min_text : "−∞",
                                          item->max_text != NULL ? item->max_text : "∞",
                                          item->unit_text));
    }
}

static void
copy_globals (CbRecord   *record,
              BlockState *state,
              Point      *point)
{
  for (guint i = 0; i < state->block->n_globals; i++)
    slot_set (point->values, point->states, point->texts, point->messages, i,
              record->states[i], record->values[i], g_strdup (record->texts[i]),
              g_strdup (record->messages[i]));
}

/* The points of a block set as percents of a span follow the inputs. */
static void
generate_points (CbRecord   *record,
                 BlockState *state)
{
  CbBlock *block = state->block;

  if (state->overridden)
    return;

  if (block->point_texts != NULL)
    {
      block_resize (state, block->point_texts->len);
      for (guint p = 0; p < block->point_texts->len; p++)
        {
          Point *point = g_ptr_array_index (state->points, p);

          g_strfreev (point->fixed);
          point->fixed = g_strdupv (g_ptr_array_index (block->point_texts, p));
        }
      return;
    }

  block_resize (state, block->percents->len);
  for (guint p = 0; p < block->percents->len; p++)
    {
      Point *point = g_ptr_array_index (state->points, p);
      double span = NAN, offset = 0;
      guint8 unused_state;
      g_autofree char *unused_message = NULL;
      g_autoptr(GArray) uses = g_array_new (FALSE, FALSE, sizeof (guint));
      const char * const *names;

      g_clear_pointer (&point->fixed[0], g_free);
      names = cb_expr_get_names (block->span);
      for (guint i = 0; names[i] != NULL; i++)
        {
          guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (record->tmpl->global.index, names[i])) - 1;

          g_array_append_val (uses, slot);
        }
      if (block->offset != NULL)
        {
          names = cb_expr_get_names (block->offset);
          for (guint i = 0; names[i] != NULL; i++)
            {
              guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (record->tmpl->global.index, names[i])) - 1;

              g_array_append_val (uses, slot);
            }
        }
      if (!inputs_ready (&record->tmpl->global, uses, record->states, &unused_state, &unused_message)
          || !cb_expr_evaluate (block->span, record->values, &span, NULL)
          || (block->offset != NULL && !cb_expr_evaluate (block->offset, record->values, &offset, NULL)))
        continue;
      /* 12 significant digits hide the binary noise of a percent of a span
       * (20 % of 1.6 is 0.32, not 0.32000000000000006). */
      point->fixed[0] = g_strdup_printf ("%.12g", offset + g_array_index (block->percents, double, p) / 100.0 * span);
    }
}

static void
summarise (CbRecord *record,
           CbItem   *summary)
{
  BlockState *state = g_ptr_array_index (record->blocks, summary->block);
  guint n = state->points->len;
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  gboolean empty = FALSE;
  double value = NAN;
  CbLine line;
  g_autoptr(GError) error = NULL;

  for (guint p = 0; p < n; p++)
    {
      Point *point = g_ptr_array_index (state->points, p);
      guint slots[2] = { summary->of_slot, summary->fit_x_slot };
      guint n_slots = summary->aggregate >= CB_AGGREGATE_FIT_A ? 2 : 1;

      for (guint s = 0; s < n_slots; s++)
        {
          if (point->states[slots[s]] == CB_CELL_ERROR)
            {
              slot_set (record->values, record->states, record->texts, record->messages,
                        summary->slot, CB_CELL_ERROR, NAN, NULL,
                        g_strdup_printf (_("point %u: %s"), p + 1,
                                         point->messages[slots[s]] != NULL ? point->messages[slots[s]] : ""));
              return;
            }
          if (point->states[slots[s]] == CB_CELL_EMPTY)
            empty = TRUE;
        }
      y[p] = point->values[summary->of_slot];
      x[p] = point->values[summary->fit_x_slot];
    }
  if (empty || n == 0)
    {
      slot_set (record->values, record->states, record->texts, record->messages,
                summary->slot, CB_CELL_EMPTY, NAN, NULL, NULL);
      return;
    }

  switch (summary->aggregate)
    {
    case CB_AGGREGATE_MAX:
    case CB_AGGREGATE_MIN:
    case CB_AGGREGATE_MAXABS:
      {
        /* The extreme point's value, with its text as that column rounds it. */
        guint best = 0;
        const char *text;

        for (guint p = 1; p < n; p++)
          {
            double v = summary->aggregate == CB_AGGREGATE_MAXABS ? fabs (y[p]) : y[p];
            double b = summary->aggregate == CB_AGGREGATE_MAXABS ? fabs (y[best]) : y[best];

            if (summary->aggregate == CB_AGGREGATE_MIN ? v < b : v > b)
              best = p;
          }
        value = summary->aggregate == CB_AGGREGATE_MAXABS ? fabs (y[best]) : y[best];
        text = ((Point *) g_ptr_array_index (state->points, best))->texts[summary->of_slot];
        if (summary->aggregate == CB_AGGREGATE_MAXABS && text != NULL && text[0] == '-')
          text++;
        slot_set (record->values, record->states, record->texts, record->messages, summary->slot,
                  CB_CELL_OK, value, text != NULL ? g_strdup (text) : plain_text (value), NULL);
        return;
      }
    case CB_AGGREGATE_MEAN:
    case CB_AGGREGATE_SUM:
      value = 0;
      for (guint p = 0; p < n; p++)
        value += y[p];
      if (summary->aggregate == CB_AGGREGATE_MEAN)
        value /= n;
      break;
    default:
      if (!cb_line_fit (x, y, n, n, 0, &line, &error))
        {
          slot_set (record->values, record->states, record->texts, record->messages,
                    summary->slot, CB_CELL_ERROR, NAN, NULL, g_strdup (error->message));
          return;
        }
      switch (summary->aggregate)
        {
        case CB_AGGREGATE_FIT_A:  value = line.intercept; break;
        case CB_AGGREGATE_FIT_B:  value = line.slope; break;
        case CB_AGGREGATE_FIT_UA: value = line.u_intercept; break;
        case CB_AGGREGATE_FIT_UB: value = line.u_slope; break;
        default:                  value = line.s; break;
        }
      break;
    }

  if (!isfinite (value))
    slot_set (record->values, record->states, record->texts, record->messages, summary->slot,
              CB_CELL_ERROR, NAN, NULL, g_strdup (_("the value is not finite")));
  else
    slot_set (record->values, record->states, record->texts, record->messages, summary->slot,
              CB_CELL_OK, value, plain_text (value), NULL);
}

static char *
expand_placeholders (CbRecord   *record,
                     const char *text)
{
  GString *s = g_string_new (NULL);
  const char *p = text;
  const char *open;

  while ((open = strchr (p, '{')) != NULL)
    {
      const char *close = strchr (open, '}');
      g_autofree char *name = g_strndup (open + 1, close - open - 1);
      guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (record->tmpl->results.index, name)) - 1;

      g_string_append_len (s, p, open - p);
      g_string_append (s, record->texts[slot] != NULL ? record->texts[slot] : "?");
      p = close + 1;
    }
  g_string_append (s, p);
  return g_string_free (s, FALSE);
}

static gboolean
record_cells_complete (CbRecord  *record,
                       GError   **error);

/* Summaries, results, record checks and the conclusion. */
static guint
finish (CbRecord *record,
        gint      block_changed)
{
  CbTemplate *tmpl = record->tmpl;
  guint count = 0;
  gboolean incomplete = FALSE;
  gboolean any_check = FALSE;
  gboolean failed = FALSE;
  gboolean undetermined = FALSE;

  for (guint i = 0; i < tmpl->summaries->len; i++)
    {
      CbItem *summary = g_ptr_array_index (tmpl->summaries, i);

      if (block_changed >= 0 && summary->block != (guint) block_changed)
        continue;
      summarise (record, summary);
      count++;
    }
  for (guint i = 0; i < tmpl->result_items->len; i++)
    {
      evaluate_item (g_ptr_array_index (tmpl->result_items, i), &tmpl->results, record->values,
                     record->states, record->texts, record->messages);
      count++;
    }
  for (guint c = 0; c < tmpl->checks->len; c++)
    decide_check (g_ptr_array_index (tmpl->checks, c), &tmpl->results, record->values,
                  record->states, &record->decisions[c], &record->decided[c]);

  /* The conclusion from every check of every point and of the record. */
  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *state = g_ptr_array_index (record->blocks, b);

      for (guint p = 0; p < state->points->len; p++)
        {
          Point *point = g_ptr_array_index (state->points, p);

          for (guint c = 0; c < state->block->checks->len; c++)
            {
              any_check = TRUE;
              if (!point->decided[c])
                incomplete = TRUE;
              else if (point->decisions[c].decision == CB_DECISION_FAIL
                       || point->decisions[c].decision == CB_DECISION_CONDITIONAL_FAIL)
                failed = TRUE;
              else if (point->decisions[c].decision == CB_DECISION_UNDETERMINED)
                undetermined = TRUE;
            }
        }
    }
  for (guint c = 0; c < tmpl->checks->len; c++)
    {
      any_check = TRUE;
      if (!record->decided[c])
        incomplete = TRUE;
      else if (record->decisions[c].decision == CB_DECISION_FAIL
               || record->decisions[c].decision == CB_DECISION_CONDITIONAL_FAIL)
        failed = TRUE;
      else if (record->decisions[c].decision == CB_DECISION_UNDETERMINED)
        undetermined = TRUE;
    }
  if (!any_check)
    incomplete = !record_cells_complete (record, NULL);

  g_clear_pointer (&record->conclusion_text, g_free);
  /* A failed point decides the conclusion even before the rest is measured. */
  if (failed)
    record->conclusion = CB_CONCLUSION_FAIL;
  else if (incomplete)
    record->conclusion = CB_CONCLUSION_INCOMPLETE;
  else if (undetermined)
    record->conclusion = CB_CONCLUSION_UNDETERMINED;
  else
    record->conclusion = CB_CONCLUSION_PASS;

  switch (record->conclusion)
    {
    case CB_CONCLUSION_PASS:
      record->conclusion_text = expand_placeholders (record, tmpl->conclusion_pass);
      break;
    case CB_CONCLUSION_FAIL:
      record->conclusion_text = expand_placeholders (record, tmpl->conclusion_fail);
      break;
    case CB_CONCLUSION_UNDETERMINED:
      record->conclusion_text = expand_placeholders (record, tmpl->conclusion_undetermined);
      break;
    default:
      break;
    }
  return count;
}

static guint
recompute_point (CbRecord   *record,
                 BlockState *state,
                 Point      *point)
{
  CbBlock *block = state->block;

  copy_globals (record, state, point);
  point_set_fixed (block, point);
  for (guint r = 0; r < block->readings->len; r++)
    point_update_reading (block, point, r);
  for (guint i = 0; i < block->computed->len; i++)
    evaluate_item (g_ptr_array_index (block->computed, i), &block->scope, point->values,
                   point->states, point->texts, point->messages);
  point_decide (block, point);
  return block->computed->len;
}

static void
recompute_all (CbRecord *record)
{
  CbTemplate *tmpl = record->tmpl;
  guint count = 0;

  for (guint i = 0; i < tmpl->derived->len; i++)
    evaluate_item (g_ptr_array_index (tmpl->derived, i), &tmpl->global, record->values,
                   record->states, record->texts, record->messages);
  count += tmpl->derived->len;
  record_set_warnings (record);

  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *state = g_ptr_array_index (record->blocks, b);

      generate_points (record, state);
      for (guint p = 0; p < state->points->len; p++)
        count += recompute_point (record, state, g_ptr_array_index (state->points, p));
    }
  count += finish (record, -1);
  record->last_recomputed = count;
}

/* ------------------------------------------------------------------ */
/* Cell ids                                                            */
/* ------------------------------------------------------------------ */

typedef struct
{
  gint        block;      /* -1 for a record-level cell */
  guint       point;      /* from 0 */
  guint       slot;
  gint        reading;    /* index among the block's readings, or -1 */
  gint        repeat;     /* from 0, or -1 */
} CellRef;

static gboolean
parse_cell (CbRecord    *record,
            const char  *id,
            CellRef     *ref,
            GError     **error)
{
  CbTemplate *tmpl = record->tmpl;
  g_auto(GStrv) parts = NULL;
  BlockState *state = NULL;
  const CbItem *item;
  guint n_parts;
  guint64 number;

  ref->block = -1;
  ref->reading = -1;
  ref->repeat = -1;
  ref->point = 0;

  if (id == NULL || strchr (id, '/') == NULL)
    {
      guint slot = id != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (tmpl->results.index, id)) : 0;

      if (slot == 0)
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                       _("'%s': no such value in template '%s'"), id != NULL ? id : "", tmpl->id);
          return FALSE;
        }
      ref->slot = slot - 1;
      return TRUE;
    }

  parts = g_strsplit (id, "/", 0);
  n_parts = g_strv_length (parts);
  if (n_parts < 3 || n_parts > 4)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                   _("'%s': expected BLOCK/POINT/NAME or BLOCK/POINT/NAME/REPEAT"), id);
      return FALSE;
    }
  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *candidate = g_ptr_array_index (record->blocks, b);

      if (g_str_equal (candidate->block->name, parts[0]))
        {
          state = candidate;
          ref->block = (gint) b;
        }
    }
  if (state == NULL)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                   _("'%s': no block '%s'"), id, parts[0]);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (parts[1], 10, 1, MAX (state->points->len, 1), &number, NULL)
      || state->points->len == 0)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                   _("'%s': the point must be a number from 1 to %u"), id, state->points->len);
      return FALSE;
    }
  ref->point = (guint) number - 1;
  item = g_hash_table_contains (state->block->scope.index, parts[2])
         ? g_ptr_array_index (state->block->scope.items,
                              GPOINTER_TO_UINT (g_hash_table_lookup (state->block->scope.index, parts[2])) - 1)
         : NULL;
  if (item == NULL || item->slot < state->block->n_globals)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                   _("'%s': block '%s' has no column '%s'"), id, parts[0], parts[2]);
      return FALSE;
    }
  ref->slot = item->slot;
  if (item->kind == CB_ITEM_READING)
    for (guint r = 0; r < state->block->readings->len; r++)
      if (g_ptr_array_index (state->block->readings, r) == item)
        ref->reading = (gint) r;

  if (n_parts == 4)
    {
      if (item->kind != CB_ITEM_READING || item->repeats < 2)
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                       _("'%s': '%s' is not a repeated reading"), id, parts[2]);
          return FALSE;
        }
      if (!g_ascii_string_to_unsigned (parts[3], 10, 1, item->repeats, &number, NULL))
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                       _("'%s': the repeat must be a number from 1 to %u"), id, item->repeats);
          return FALSE;
        }
      ref->repeat = (gint) number - 1;
    }
  else if (item->kind == CB_ITEM_READING && item->repeats == 1)
    ref->repeat = 0;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

static void
set_input_text (CbRecord   *record,
                CbItem     *item,
                const char *text)
{
  g_autoptr(CbDecimal) decimal = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL || *text == '\0')
    {
      slot_set (record->values, record->states, record->texts, record->messages, item->slot,
                CB_CELL_EMPTY, NAN, NULL, NULL);
      return;
    }
  decimal = cb_decimal_parse (text, &error);
  if (decimal == NULL)
    slot_set (record->values, record->states, record->texts, record->messages, item->slot,
              CB_CELL_ERROR, NAN, g_strdup (text),
              g_strdup_printf (_("expected a number: %s"), error->message));
  else
    slot_set (record->values, record->states, record->texts, record->messages, item->slot,
              CB_CELL_OK, cb_decimal_to_double (decimal), g_strdup (text), NULL);
}

CbRecord *
cb_record_new (CbTemplate *tmpl)
{
  CbRecord *record;

  g_return_val_if_fail (tmpl != NULL, NULL);

  record = g_new0 (CbRecord, 1);
  record->tmpl = cb_template_ref (tmpl);
  record->header = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->n_slots = tmpl->results.items->len;
  record->values = g_new (double, record->n_slots);
  record->states = g_new0 (guint8, record->n_slots);
  record->texts = g_new0 (char *, record->n_slots);
  record->messages = g_new0 (char *, record->n_slots);
  for (guint i = 0; i < record->n_slots; i++)
    record->values[i] = NAN;
  record->decisions = g_new0 (CbDecisionResult, MAX (tmpl->checks->len, 1));
  record->decided = g_new0 (gboolean, MAX (tmpl->checks->len, 1));
  record->warnings = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  record->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_state_free);
  for (guint b = 0; b < tmpl->blocks->len; b++)
    {
      BlockState *state = g_new0 (BlockState, 1);

      state->block = g_ptr_array_index (tmpl->blocks, b);
      state->points = g_ptr_array_new ();
      g_ptr_array_add (record->blocks, state);
    }
  for (guint i = 0; i < tmpl->inputs->len; i++)
    {
      CbItem *item = g_ptr_array_index (tmpl->inputs, i);

      set_input_text (record, item, item->default_text);
    }
  recompute_all (record);
  return record;
}

void
cb_record_free (CbRecord *record)
{
  if (record == NULL)
    return;
  for (guint i = 0; i < record->n_slots; i++)
    {
      g_free (record->texts[i]);
      g_free (record->messages[i]);
    }
  g_free (record->values);
  g_free (record->states);
  g_free (record->texts);
  g_free (record->messages);
  g_free (record->decisions);
  g_free (record->decided);
  g_ptr_array_unref (record->warnings);
  g_ptr_array_unref (record->blocks);
  g_hash_table_unref (record->header);
  g_free (record->conclusion_text);
  cb_template_unref (record->tmpl);
  g_free (record);
}

CbTemplate *
cb_record_get_template (CbRecord *record)
{
  return record->tmpl;
}

gboolean
cb_record_set_header (CbRecord    *record,
                      const char  *name,
                      const char  *text,
                      GError     **error)
{
  for (guint i = 0; i < record->tmpl->header->len; i++)
    {
      CbHeaderField *field = g_ptr_array_index (record->tmpl->header, i);

      if (g_str_equal (field->name, name))
        {
          if (text == NULL)
            g_hash_table_remove (record->header, name);
          else
            g_hash_table_insert (record->header, g_strdup (name), g_strdup (text));
          return TRUE;
        }
    }
  g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
               _("'%s': template '%s' has no such header field"), name, record->tmpl->id);
  return FALSE;
}

const char *
cb_record_get_header (CbRecord   *record,
                      const char *name)
{
  return g_hash_table_lookup (record->header, name);
}

gboolean
cb_record_set_value (CbRecord    *record,
                     const char  *cell,
                     const char  *text,
                     GError     **error)
{
  g_autofree char *trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;
  BlockState *state;
  Point *point;
  CbBlock *block;
  CellRef ref;
  CbItem *item;
  GArray *downstream;
  guint count = 0;

  g_return_val_if_fail (record != NULL, FALSE);

  if (!parse_cell (record, cell, &ref, error))
    return FALSE;

  if (ref.block < 0)
    {
      item = g_ptr_array_index (record->tmpl->results.items, ref.slot);
      if (item->kind != CB_ITEM_PARAMETER && item->kind != CB_ITEM_STANDARD
          && item->kind != CB_ITEM_ENVIRONMENT)
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                       _("'%s' is computed and cannot be entered"), cell);
          return FALSE;
        }
      if (item->choices != NULL && trimmed != NULL && *trimmed != '\0'
          && !g_strv_contains ((const char * const *) item->choices, trimmed))
        {
          g_autofree char *list = g_strjoinv (", ", item->choices);

          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                       _("'%s': '%s' is not one of %s"), cell, trimmed, list);
          return FALSE;
        }
      set_input_text (record, item, trimmed);
      recompute_all (record);
      return TRUE;
    }

  state = g_ptr_array_index (record->blocks, ref.block);
  block = state->block;
  point = g_ptr_array_index (state->points, ref.point);
  if (ref.reading < 0 || ref.repeat < 0)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                   ref.reading >= 0 ? _("'%s' is the mean of its repeats: enter each repeat as %s/N")
                                    : _("'%s' is computed and cannot be entered"),
                   cell, cell);
      return FALSE;
    }

  g_clear_pointer (&point->entered[ref.reading][ref.repeat], g_free);
  g_clear_pointer (&point->entered_messages[ref.reading][ref.repeat], g_free);
  if (trimmed == NULL || *trimmed == '\0')
    point->entered_states[ref.reading][ref.repeat] = CB_CELL_EMPTY;
  else
    {
      double value = NAN;
      char *message = NULL;

      point->entered[ref.reading][ref.repeat] = g_strdup (trimmed);
      if (parse_entered (trimmed, g_ptr_array_index (block->readings, ref.reading), &value, &message))
        point->entered_states[ref.reading][ref.repeat] = CB_CELL_OK;
      else
        {
          point->entered_states[ref.reading][ref.repeat] = CB_CELL_ERROR;
          point->entered_messages[ref.reading][ref.repeat] = message;
        }
      point->entered_values[ref.reading][ref.repeat] = value;
    }

  /* Only what depends on this reading. */
  point_update_reading (block, point, ref.reading);
  downstream = block->downstream[ref.slot];
  for (guint i = 0; i < downstream->len; i++)
    evaluate_item (g_ptr_array_index (block->computed, g_array_index (downstream, guint, i)),
                   &block->scope, point->values, point->states, point->texts, point->messages);
  count += downstream->len;
  point_decide (block, point);
  count += finish (record, ref.block);
  record->last_recomputed = count;
  return TRUE;
}

gboolean
cb_record_set_points (CbRecord    *record,
                      const char  *block_name,
                      JsonArray   *points,
                      GError     **error)
{
  BlockState *state = NULL;

  for (guint b = 0; b < record->blocks->len; b++)
    if (g_str_equal (((BlockState *) g_ptr_array_index (record->blocks, b))->block->name, block_name))
      state = g_ptr_array_index (record->blocks, b);
  if (state == NULL)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                   _("no block '%s' in template '%s'"), block_name, record->tmpl->id);
      return FALSE;
    }
  if (json_array_get_length (points) == 0 || json_array_get_length (points) > 10000)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                   _("%s: expected from 1 to 10000 points"), block_name);
      return FALSE;
    }

  /* Check every point before changing anything. */
  for (guint p = 0; p < json_array_get_length (points); p++)
    {
      JsonNode *node = json_array_get_element (points, p);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                       _("%s point %u: expected an object"), block_name, p + 1);
          return FALSE;
        }
      object = json_node_get_object (node);
      for (guint i = 0; i <= state->block->attributes->len; i++)
        {
          const char *name = i == 0 ? "nominal"
                                    : ((CbItem *) g_ptr_array_index (state->block->attributes, i - 1))->name;
          const char *text = text_member (object, name);
          g_autoptr(GError) local_error = NULL;

          if (text == NULL || cb_decimal_parse (text, &local_error) == NULL)
            {
              g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                           _("%s point %u: '%s': expected a number as text%s%s"), block_name, p + 1, name,
                           local_error != NULL ? ": " : "", local_error != NULL ? local_error->message : "");
              return FALSE;
            }
        }
    }

  state->overridden = TRUE;
  block_resize (state, json_array_get_length (points));
  for (guint p = 0; p < json_array_get_length (points); p++)
    {
      JsonObject *object = json_array_get_object_element (points, p);
      Point *point = g_ptr_array_index (state->points, p);

      for (guint i = 0; i <= state->block->attributes->len; i++)
        {
          const char *name = i == 0 ? "nominal"
                                    : ((CbItem *) g_ptr_array_index (state->block->attributes, i - 1))->name;

          g_free (point->fixed[i]);
          point->fixed[i] = g_strdup (text_member (object, name));
        }
    }
  recompute_all (record);
  return TRUE;
}

guint
cb_record_get_n_points (CbRecord *record,
                        guint     block)
{
  g_return_val_if_fail (block < record->blocks->len, 0);

  return ((BlockState *) g_ptr_array_index (record->blocks, block))->points->len;
}

static CbCellKind
kind_of (const CbItem *item)
{
  switch (item->kind)
    {
    case CB_ITEM_PARAMETER:
    case CB_ITEM_STANDARD:
    case CB_ITEM_ENVIRONMENT:
      return CB_CELL_KIND_INPUT;
    case CB_ITEM_NOMINAL:
    case CB_ITEM_ATTRIBUTE:
      return CB_CELL_KIND_FIXED;
    case CB_ITEM_READING:
      return item->repeats == 1 ? CB_CELL_KIND_ENTERED : CB_CELL_KIND_COMPUTED;
    default:
      return CB_CELL_KIND_COMPUTED;
    }
}

gboolean
cb_record_get_cell (CbRecord    *record,
                    const char  *cell,
                    CbCell      *out,
                    GError     **error)
{
  CellRef ref;
  const CbItem *item;

  if (!parse_cell (record, cell, &ref, error))
    return FALSE;

  if (ref.block < 0)
    {
      item = g_ptr_array_index (record->tmpl->results.items, ref.slot);
      out->state = record->states[ref.slot];
      out->value = record->values[ref.slot];
      out->text = record->texts[ref.slot];
      out->message = record->messages[ref.slot];
    }
  else
    {
      BlockState *state = g_ptr_array_index (record->blocks, ref.block);
      Point *point = g_ptr_array_index (state->points, ref.point);

      item = g_ptr_array_index (state->block->scope.items, ref.slot);
      if (ref.repeat >= 0)
        {
          out->state = point->entered_states[ref.reading][ref.repeat];
          out->value = out->state == CB_CELL_OK ? point->entered_values[ref.reading][ref.repeat] : NAN;
          out->text = point->entered[ref.reading][ref.repeat];
          out->message = point->entered_messages[ref.reading][ref.repeat];
          out->kind = CB_CELL_KIND_ENTERED;
          out->unit = item->unit_text;
          out->label = item->label;
          return TRUE;
        }
      out->state = point->states[ref.slot];
      out->value = point->values[ref.slot];
      out->text = point->texts[ref.slot];
      out->message = point->messages[ref.slot];
    }
  out->kind = kind_of (item);
  out->unit = item->unit_text;
  out->label = item->label;
  return TRUE;
}

gboolean
cb_record_get_check (CbRecord          *record,
                     const char        *block,
                     guint              point,
                     const char        *check,
                     CbDecisionResult  *result)
{
  GPtrArray *checks = record->tmpl->checks;
  CbDecisionResult *decisions = record->decisions;
  gboolean *decided = record->decided;

  if (block != NULL)
    {
      BlockState *state = NULL;
      Point *p;

      for (guint b = 0; b < record->blocks->len; b++)
        if (g_str_equal (((BlockState *) g_ptr_array_index (record->blocks, b))->block->name, block))
          state = g_ptr_array_index (record->blocks, b);
      if (state == NULL || point < 1 || point > state->points->len)
        return FALSE;
      p = g_ptr_array_index (state->points, point - 1);
      checks = state->block->checks;
      decisions = p->decisions;
      decided = p->decided;
    }
  for (guint c = 0; c < checks->len; c++)
    if (g_str_equal (((CbCheck *) g_ptr_array_index (checks, c))->name, check))
      {
        if (!decided[c])
          return FALSE;
        if (result != NULL)
          *result = decisions[c];
        return TRUE;
      }
  return FALSE;
}

gboolean
cb_record_point_passes (CbRecord *record,
                        guint     block,
                        guint     point,
                        gboolean *decided)
{
  BlockState *state;
  Point *p;
  gboolean passes = TRUE;
  gboolean all = TRUE;

  g_return_val_if_fail (block < record->blocks->len, FALSE);
  state = g_ptr_array_index (record->blocks, block);
  g_return_val_if_fail (point >= 1 && point <= state->points->len, FALSE);
  p = g_ptr_array_index (state->points, point - 1);

  for (guint c = 0; c < state->block->checks->len; c++)
    {
      if (!p->decided[c])
        all = FALSE;
      else if (p->decisions[c].decision == CB_DECISION_FAIL
               || p->decisions[c].decision == CB_DECISION_CONDITIONAL_FAIL)
        passes = FALSE;
    }
  if (decided != NULL)
    *decided = all;
  return passes;
}

CbPointBudget *
cb_record_get_point_budget (CbRecord *record,
                            guint     block,
                            guint     point)
{
  BlockState *state;
  CbBlock *b;
  Point *p;
  CbPointBudget *budget;
  double denominator = 0;
  guint n = 0;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (block < record->blocks->len, NULL);
  state = g_ptr_array_index (record->blocks, block);
  g_return_val_if_fail (point >= 1 && point <= state->points->len, NULL);
  b = state->block;
  if (b->combined == NULL)
    return NULL;
  p = g_ptr_array_index (state->points, point - 1);

  budget = g_new0 (CbPointBudget, 1);
  budget->unit = b->combined->unit_text;
  budget->lines = g_new0 (CbBudgetLine, b->combined->uses->len);
  budget->combined = p->states[b->combined->slot] == CB_CELL_OK ? p->values[b->combined->slot] : NAN;
  budget->k = b->expanded->k;
  budget->expanded = p->states[b->expanded->slot] == CB_CELL_OK ? p->values[b->expanded->slot] : NAN;
  budget->expanded_text = p->states[b->expanded->slot] == CB_CELL_OK ? p->texts[b->expanded->slot] : NULL;
  budget->expanded_name = b->expanded->name;
  for (guint i = 0; i < b->combined->uses->len; i++)
    {
      guint slot = g_array_index (b->combined->uses, guint, i);
      const CbItem *item = g_ptr_array_index (b->scope.items, slot);
      CbBudgetLine *line = &budget->lines[n++];
      double u = p->states[slot] == CB_CELL_OK ? p->values[slot] : NAN;

      line->name = item->name;
      line->label = item->label;
      line->contribution = u;
      line->dof = item->dof;
      line->share = budget->combined > 0 ? (u * u) / (budget->combined * budget->combined) : NAN;
      if (u > 0 && isfinite (item->dof))
        denominator += pow (u, 4) / item->dof;
    }
  budget->n_lines = n;
  budget->effective_dof = denominator > 0 && isfinite (budget->combined)
                          ? pow (budget->combined, 4) / denominator : INFINITY;
  return budget;
}

void
cb_point_budget_free (CbPointBudget *budget)
{
  if (budget == NULL)
    return;
  g_free (budget->lines);
  g_free (budget);
}

CbConclusion
cb_record_get_conclusion (CbRecord    *record,
                          const char **text)
{
  if (text != NULL)
    *text = record->conclusion_text;
  return record->conclusion;
}

const char * const *
cb_record_get_warnings (CbRecord *record)
{
  return (const char * const *) record->warnings->pdata;
}

guint
cb_record_get_last_recomputed (CbRecord *record)
{
  return record->last_recomputed;
}

static gboolean
record_cells_complete (CbRecord  *record,
                       GError   **error)
{
  CbTemplate *tmpl = record->tmpl;

  for (guint i = 0; i < tmpl->inputs->len; i++)
    {
      const CbItem *item = g_ptr_array_index (tmpl->inputs, i);

      if (record->states[item->slot] != CB_CELL_OK)
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INCOMPLETE,
                       record->states[item->slot] == CB_CELL_EMPTY ? _("%s: not entered yet")
                                                                   : _("%s: has an error"),
                       item->name);
          return FALSE;
        }
    }
  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *state = g_ptr_array_index (record->blocks, b);
      CbBlock *block = state->block;

      for (guint p = 0; p < state->points->len; p++)
        {
          Point *point = g_ptr_array_index (state->points, p);

          for (guint s = block->n_globals; s < block->scope.items->len; s++)
            {
              const CbItem *item = g_ptr_array_index (block->scope.items, s);

              if (item->kind == CB_ITEM_READING_STAT)
                continue;
              if (point->states[s] != CB_CELL_OK)
                {
                  g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INCOMPLETE,
                               point->states[s] == CB_CELL_EMPTY ? _("%s/%u/%s: not entered yet")
                                                                 : _("%s/%u/%s: has an error"),
                               block->name, p + 1, item->name);
                  return FALSE;
                }
            }
        }
    }
  return TRUE;
}

gboolean
cb_record_is_complete (CbRecord  *record,
                       GError   **error)
{
  CbTemplate *tmpl = record->tmpl;

  if (!record_cells_complete (record, error))
    return FALSE;
  for (guint i = 0; i < tmpl->inputs->len; i++)
    {
      const CbItem *item = g_ptr_array_index (tmpl->inputs, i);

      if (item->kind == CB_ITEM_ENVIRONMENT && item->blocking)
        for (guint w = 0; w < record->warnings->len; w++)
          if (g_str_has_prefix (g_ptr_array_index (record->warnings, w), item->label))
            {
              g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INCOMPLETE,
                           _("the environment is outside the method's limits: %s"),
                           (const char *) g_ptr_array_index (record->warnings, w));
              return FALSE;
            }
    }
  if (record->conclusion == CB_CONCLUSION_INCOMPLETE)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INCOMPLETE,
                   _("the conclusion cannot be decided yet"));
      return FALSE;
    }
  return TRUE;
}

const char *
cb_conclusion_to_string (CbConclusion conclusion)
{
  switch (conclusion)
    {
    case CB_CONCLUSION_INCOMPLETE:   return "incomplete";
    case CB_CONCLUSION_PASS:         return "pass";
    case CB_CONCLUSION_FAIL:         return "fail";
    case CB_CONCLUSION_UNDETERMINED: return "undetermined";
    default:                         return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

JsonNode *
cb_record_to_json (CbRecord *record)
{
  CbTemplate *tmpl = record->tmpl;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, tmpl->id);
  json_builder_set_member_name (builder, "digest");
  json_builder_add_string_value (builder, tmpl->digest);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "header");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, record->header);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_object (builder);
  for (guint i = 0; i < tmpl->inputs->len; i++)
    {
      const CbItem *item = g_ptr_array_index (tmpl->inputs, i);

      if (record->texts[item->slot] == NULL)
        continue;
      json_builder_set_member_name (builder, item->name);
      json_builder_add_string_value (builder, record->texts[item->slot]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "points");
  json_builder_begin_object (builder);
  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *state = g_ptr_array_index (record->blocks, b);

      if (!state->overridden)
        continue;
      json_builder_set_member_name (builder, state->block->name);
      json_builder_begin_array (builder);
      for (guint p = 0; p < state->points->len; p++)
        {
          Point *point = g_ptr_array_index (state->points, p);

          json_builder_begin_object (builder);
          for (guint i = 0; i <= state->block->attributes->len; i++)
            {
              json_builder_set_member_name (builder, i == 0 ? "nominal"
                                            : ((CbItem *) g_ptr_array_index (state->block->attributes, i - 1))->name);
              json_builder_add_string_value (builder, point->fixed[i]);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "values");
  json_builder_begin_object (builder);
  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *state = g_ptr_array_index (record->blocks, b);

      for (guint p = 0; p < state->points->len; p++)
        {
          Point *point = g_ptr_array_index (state->points, p);

          for (guint r = 0; r < state->block->readings->len; r++)
            {
              const CbItem *reading = g_ptr_array_index (state->block->readings, r);

              for (guint k = 0; k < reading->repeats; k++)
                {
                  g_autofree char *id = NULL;

                  if (point->entered[r][k] == NULL)
                    continue;
                  id = reading->repeats == 1
                       ? g_strdup_printf ("%s/%u/%s", state->block->name, p + 1, reading->name)
                       : g_strdup_printf ("%s/%u/%s/%u", state->block->name, p + 1, reading->name, k + 1);
                  json_builder_set_member_name (builder, id);
                  json_builder_add_string_value (builder, point->entered[r][k]);
                }
            }
        }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
text_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
string_member (JsonObject  *object,
               const char  *member,
               const char  *path,
               const char **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                   _("%s.%s: expected a text"), path, member);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

CbRecord *
cb_record_new_from_json (CbTemplate  *tmpl,
                         JsonNode    *data,
                         GError     **error)
{
  g_autoptr(CbRecord) record = NULL;
  JsonObject *root;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (tmpl != NULL, NULL);

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID, _("record: expected an object"));
      return NULL;
    }
  root = json_node_get_object (data);

  if (json_object_has_member (root, "template"))
    {
      JsonNode *node = json_object_get_member (root, "template");
      const char *digest;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID, _("template: expected an object"));
          return NULL;
        }
      digest = json_object_get_string_member_with_default (json_node_get_object (node), "digest", NULL);
      if (digest != NULL && !g_str_equal (digest, tmpl->digest))
        {
          g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_TEMPLATE,
                       _("the record was made with template %s (%.12s…), not with this one (%.12s…)"),
                       json_object_get_string_member_with_default (json_node_get_object (node), "id", "?"),
                       digest, tmpl->digest);
          return NULL;
        }
    }

  record = cb_record_new (tmpl);

  if (json_object_has_member (root, "header"))
    {
      object = json_object_get_object_member (root, "header");
      members = object != NULL ? json_object_get_members (object) : NULL;
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *text;

          if (!string_member (object, l->data, "header", &text, error)
              || !cb_record_set_header (record, l->data, text, error))
            return NULL;
        }
      g_clear_pointer (&members, g_list_free);
    }

  if (json_object_has_member (root, "inputs"))
    {
      object = json_object_get_object_member (root, "inputs");
      members = object != NULL ? json_object_get_members (object) : NULL;
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *text;
          guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (tmpl->global.index, l->data));
          CbItem *item = slot != 0 ? g_ptr_array_index (tmpl->global.items, slot - 1) : NULL;

          if (!string_member (object, l->data, "inputs", &text, error))
            return NULL;
          if (item == NULL || item->kind == CB_ITEM_DERIVED)
            {
              g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL,
                           _("inputs.%s: template '%s' has no such input"), (const char *) l->data, tmpl->id);
              return NULL;
            }
          set_input_text (record, item, text);
        }
      g_clear_pointer (&members, g_list_free);
      recompute_all (record);
    }

  if (json_object_has_member (root, "points"))
    {
      object = json_object_get_object_member (root, "points");
      members = object != NULL ? json_object_get_members (object) : NULL;
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);

          if (!JSON_NODE_HOLDS_ARRAY (node))
            {
              g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID,
                           _("points.%s: expected an array"), (const char *) l->data);
              return NULL;
            }
          if (!cb_record_set_points (record, l->data, json_node_get_array (node), error))
            return NULL;
        }
      g_clear_pointer (&members, g_list_free);
    }

  if (json_object_has_member (root, "values"))
    {
      object = json_object_get_object_member (root, "values");
      members = object != NULL ? json_object_get_members (object) : NULL;
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *text;

          if (!string_member (object, l->data, "values", &text, error)
              || !cb_record_set_value (record, l->data, text, error))
            return NULL;
        }
    }

  return g_steal_pointer (&record);
}

/* Numbers travel as their shortest exact text ("1e-08", "0.1"): json-glib
 * 1.6 writes a double like 1e-08 as "1e-08.0", which no parser reads. */
static void
add_number (JsonBuilder *builder,
            double       value)
{
  g_autofree char *text = cb_format_for_entry (value);

  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_cell (JsonBuilder *builder,
          const char  *name,
          guint8       state,
          double       value,
          const char  *text,
          const char  *message)
{
  json_builder_set_member_name (builder, name);
  if (state == CB_CELL_EMPTY)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  if (state == CB_CELL_OK)
    {
      json_builder_set_member_name (builder, "value");
      add_number (builder, value);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, message != NULL ? message : "");
    }
  json_builder_end_object (builder);
}

static void
add_check (JsonBuilder            *builder,
           const CbCheck          *check,
           gboolean                decided,
           const CbDecisionResult *result)
{
  json_builder_set_member_name (builder, check->name);
  if (!decided)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "decision");
  json_builder_add_string_value (builder, cb_decision_to_string (result->decision));
  json_builder_set_member_name (builder, "error");
  add_number (builder, result->indication_error);
  json_builder_set_member_name (builder, "limit");
  add_number (builder, result->mpe);
  json_builder_set_member_name (builder, "U");
  add_number (builder, result->expanded);
  json_builder_end_object (builder);
}

JsonNode *
cb_record_results_to_json (CbRecord *record)
{
  CbTemplate *tmpl = record->tmpl;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "template");
  json_builder_add_string_value (builder, tmpl->digest);

  json_builder_set_member_name (builder, "values");
  json_builder_begin_object (builder);
  for (guint s = 0; s < record->n_slots; s++)
    {
      const CbItem *item = g_ptr_array_index (tmpl->results.items, s);

      if (kind_of (item) != CB_CELL_KIND_COMPUTED)
        continue;
      add_cell (builder, item->name, record->states[s], record->values[s], record->texts[s],
                record->messages[s]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "blocks");
  json_builder_begin_object (builder);
  for (guint b = 0; b < record->blocks->len; b++)
    {
      BlockState *state = g_ptr_array_index (record->blocks, b);
      CbBlock *block = state->block;

      json_builder_set_member_name (builder, block->name);
      json_builder_begin_array (builder);
      for (guint p = 0; p < state->points->len; p++)
        {
          Point *point = g_ptr_array_index (state->points, p);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "cells");
          json_builder_begin_object (builder);
          for (guint s = block->n_globals; s < block->scope.items->len; s++)
            {
              const CbItem *item = g_ptr_array_index (block->scope.items, s);

              if (item->kind == CB_ITEM_READING_STAT)
                continue;
              add_cell (builder, item->name, point->states[s], point->values[s], point->texts[s],
                        point->messages[s]);
            }
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "checks");
          json_builder_begin_object (builder);
          for (guint c = 0; c < block->checks->len; c++)
            add_check (builder, g_ptr_array_index (block->checks, c), point->decided[c],
                       &point->decisions[c]);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_object (builder);
  for (guint c = 0; c < tmpl->checks->len; c++)
    add_check (builder, g_ptr_array_index (tmpl->checks, c), record->decided[c], &record->decisions[c]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "conclusion");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, cb_conclusion_to_string (record->conclusion));
  json_builder_set_member_name (builder, "text");
  if (record->conclusion_text != NULL)
    json_builder_add_string_value (builder, record->conclusion_text);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint w = 0; w < record->warnings->len; w++)
    json_builder_add_string_value (builder, g_ptr_array_index (record->warnings, w));
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
node_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup (_("nothing"));
  return cb_json_to_text (node, FALSE);
}

static gboolean
compare_nodes (JsonNode    *stored,
               JsonNode    *fresh,
               const char  *path,
               GError     **error)
{
  gboolean same = TRUE;

  if (stored == NULL || fresh == NULL || JSON_NODE_TYPE (stored) != JSON_NODE_TYPE (fresh))
    same = FALSE;
  else if (JSON_NODE_HOLDS_OBJECT (stored))
    {
      JsonObject *a = json_node_get_object (stored);
      JsonObject *b = json_node_get_object (fresh);
      g_autoptr(GList) members = json_object_get_members (b);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = *path != '\0' ? g_strdup_printf ("%s.%s", path, (char *) l->data)
                                                 : g_strdup (l->data);

          if (!compare_nodes (json_object_get_member (a, l->data), json_object_get_member (b, l->data),
                              child, error))
            return FALSE;
        }
      g_clear_pointer (&members, g_list_free);
      members = json_object_get_members (a);
      for (GList *l = members; l != NULL; l = l->next)
        if (!json_object_has_member (b, l->data))
          {
            g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_MISMATCH,
                         _("%s.%s: stored but not computed any more"), path, (char *) l->data);
            return FALSE;
          }
      return TRUE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (stored))
    {
      JsonArray *a = json_node_get_array (stored);
      JsonArray *b = json_node_get_array (fresh);

      if (json_array_get_length (a) != json_array_get_length (b))
        same = FALSE;
      else
        {
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              g_autofree char *child = g_strdup_printf ("%s[%u]", path, i + 1);

              if (!compare_nodes (json_array_get_element (a, i), json_array_get_element (b, i), child, error))
                return FALSE;
            }
          return TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (stored))
    {
      GType ta = json_node_get_value_type (stored);
      GType tb = json_node_get_value_type (fresh);
      gboolean numeric_a = ta == G_TYPE_DOUBLE || ta == G_TYPE_INT64;
      gboolean numeric_b = tb == G_TYPE_DOUBLE || tb == G_TYPE_INT64;

      if (numeric_a && numeric_b)
        same = json_node_get_double (stored) == json_node_get_double (fresh);
      else if (ta == G_TYPE_STRING && tb == G_TYPE_STRING)
        same = g_str_equal (json_node_get_string (stored), json_node_get_string (fresh));
      else if (ta == G_TYPE_BOOLEAN && tb == G_TYPE_BOOLEAN)
        same = json_node_get_boolean (stored) == json_node_get_boolean (fresh);
      else
        same = FALSE;
    }

  if (!same)
    {
      g_autofree char *a = node_text (stored);
      g_autofree char *b = node_text (fresh);

      g_set_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_MISMATCH,
                   _("%s: stored %s but recomputed %s"), path, a, b);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_record_verify_results (CbRecord  *record,
                          JsonNode  *stored,
                          GError   **error)
{
  g_autoptr(JsonNode) fresh = cb_record_results_to_json (record);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  g_return_val_if_fail (stored != NULL, FALSE);

  /* Through text and back, as the stored results went. */
  text = node_text (fresh);
  if (!json_parser_load_from_data (parser, text, -1, error))
    return FALSE;
  return compare_nodes (stored, json_parser_get_root (parser), "", error);
}
