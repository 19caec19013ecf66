/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-conformity.h"
#include "cb-expr.h"
#include "cb-template.h"
#include "cb-unit.h"

G_BEGIN_DECLS

/* The compiled form of a template, shared with the record engine. */

typedef enum
{
  CB_ITEM_PARAMETER,      /* typed per record */
  CB_ITEM_STANDARD,       /* an attribute of a chosen standard */
  CB_ITEM_ENVIRONMENT,    /* from the environment log, or typed */
  CB_ITEM_DERIVED,        /* record level, computed from the above */
  CB_ITEM_NOMINAL,        /* per point, fixed */
  CB_ITEM_ATTRIBUTE,      /* per point, fixed */
  CB_ITEM_READING,        /* per point, entered: the mean of its repeats */
  CB_ITEM_READING_STAT,   /* per point: n, s, min, max, range of a reading */
  CB_ITEM_COLUMN,         /* per point, computed */
  CB_ITEM_COMPONENT,      /* per point: |c|·u of an uncertainty component */
  CB_ITEM_COMBINED,       /* per point: u_c */
  CB_ITEM_EXPANDED,       /* per point: U = k·u_c */
  CB_ITEM_SUMMARY,        /* record level, over a block's points */
  CB_ITEM_RESULT,         /* record level, after the blocks */
} CbItemKind;

typedef enum
{
  CB_ROUND_NONE,
  CB_ROUND_INTERVAL,
  CB_ROUND_SIGNIFICANT,
  CB_ROUND_ALIGN,
} CbRoundKind;

typedef enum
{
  CB_STAT_N,
  CB_STAT_S,
  CB_STAT_MIN,
  CB_STAT_MAX,
  CB_STAT_RANGE,
} CbStat;

typedef enum
{
  CB_AGGREGATE_MAX,
  CB_AGGREGATE_MIN,
  CB_AGGREGATE_MEAN,
  CB_AGGREGATE_MAXABS,
  CB_AGGREGATE_SUM,
  CB_AGGREGATE_FIT_A,
  CB_AGGREGATE_FIT_B,
  CB_AGGREGATE_FIT_UA,
  CB_AGGREGATE_FIT_UB,
  CB_AGGREGATE_FIT_S,
} CbAggregate;

typedef struct
{
  char        *name;
  char        *label;
  char        *label_en;
  char        *path;          /* where it is defined, for messages */
  CbItemKind   kind;
  char        *unit_text;
  CbUnit      *unit;
  guint        slot;          /* in its scope */

  CbExpr      *expr;          /* computed kinds; the u of a component */
  CbExpr      *sensitivity;   /* a component's c, or NULL */
  double       dof;           /* a component's, INFINITY by default */
  double       k;             /* an expanded uncertainty's */

  CbRoundKind  round;
  CbExpr      *round_interval;
  guint        round_digits;
  guint        round_align;   /* slot */

  /* Inputs */
  char        *default_text;
  char       **choices;
  char        *role;          /* a standard's */
  char        *field;         /* the standard's field it comes from */
  char        *min_text;      /* environment limits, or NULL */
  char        *max_text;
  gboolean     blocking;

  guint        repeats;       /* a reading's */
  guint        reading_slot;  /* a reading statistic's reading */
  CbStat       stat;

  guint        block;         /* a summary's block */
  CbAggregate  aggregate;
  guint        of_slot;       /* in the block's scope */
  guint        fit_x_slot;

  /* Slots read (expressions, sensitivity, interval, alignment). */
  GArray      *uses;

  /* As written, until compiled. */
  char        *expr_text;
  char        *sensitivity_text;
  char        *interval_text;
  char        *align_name;
  char        *of_name;
  char        *fit_x_name;
  char        *fit_y_name;
} CbItem;

typedef struct
{
  GPtrArray   *items;         /* slot → CbItem (not owned) */
  GHashTable  *index;         /* name → slot + 1 */
} CbScope;

typedef struct
{
  char           *name;
  char           *label;
  char           *path;
  CbExpr         *error;
  CbExpr         *limit;
  CbExpr         *expanded;   /* NULL: no uncertainty */
  double          k;
  double          guard;
  CbDecisionRule  rule;
  GArray         *uses;       /* slots the three expressions read */
} CbCheck;

typedef struct
{
  char        *name;
  char        *title;
  char        *title_en;
  CbScope      scope;         /* the record-level slots, then the block's */
  guint        n_globals;
  CbItem      *nominal;
  GPtrArray   *attributes;    /* CbItem */
  GPtrArray   *readings;      /* CbItem */
  GPtrArray   *stats;         /* CbItem */
  GPtrArray   *computed;      /* CbItem in evaluation order */
  CbItem      *combined;      /* NULL without an uncertainty */
  CbItem      *expanded;
  GPtrArray   *checks;        /* CbCheck */
  /* Default points: either a list of texts per point ([0] the nominal,
   * then one per attribute), or percents of a span. */
  GPtrArray   *point_texts;   /* of char ** (n_attributes + 1), or NULL */
  CbExpr      *span;
  CbExpr      *offset;
  GArray      *percents;      /* double */
  /* For each slot of the scope, the computed items (indices into
   * computed) that depend on it, directly or not, in evaluation order. */
  GArray     **downstream;
  /* How instruments fill the block, as validated; NULL without one. */
  JsonObject  *procedure;
  /* Items of the results scope that depend on this block. */
  GArray      *summaries;     /* guint slots in the results scope */
} CbBlock;

typedef struct
{
  char *name;
  char *label;
  char *label_en;
  char *bind;
} CbHeaderField;

struct _CbTemplate
{
  gatomicrefcount ref_count;
  JsonNode       *root;
  char           *digest;
  char           *id;
  char           *title;
  char           *title_en;
  CbTemplateKind  kind;
  char           *method_code;
  char           *method_name;
  GPtrArray      *header;        /* CbHeaderField */
  GPtrArray      *items;         /* owns every CbItem */

  CbScope         global;        /* inputs and derived */
  GPtrArray      *inputs;        /* CbItem: parameters, standards, environment */
  GPtrArray      *derived;       /* CbItem in evaluation order */
  GPtrArray      *standard_roles;/* char * */
  GPtrArray      *parameters;    /* CbItem (subset of inputs) */
  GPtrArray      *blocks;        /* CbBlock */

  CbScope         results;       /* the global slots, summaries, results */
  GPtrArray      *summaries;     /* CbItem */
  GPtrArray      *result_items;  /* CbItem in evaluation order */
  GPtrArray      *checks;        /* CbCheck in the results scope */

  char           *conclusion_pass;
  char           *conclusion_fail;
  char           *conclusion_undetermined;
};

const char *cb_template_kind_to_string (CbTemplateKind kind);

G_END_DECLS
