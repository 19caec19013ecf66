/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-mcm.h"

/* Each block of trials has its own generator stream, so a block's samples
 * do not depend on which thread runs it. */
#define BLOCK_SIZE          8192
#define DEFAULT_TRIALS      G_GUINT64_CONSTANT (1000000)
#define DEFAULT_MAX_TRIALS  G_GUINT64_CONSTANT (10000000)
#define MAX_TRIALS          G_GUINT64_CONSTANT (10000000000)
#define ADAPTIVE_MIN_BATCH  G_GUINT64_CONSTANT (10000)
#define MAX_THREADS         64

/* LSD radix sort on the IEEE bits: six passes of 11 bits, whose 2048 counters
 * stay in the first-level cache. */
#define RADIX_BITS    11
#define RADIX_SIZE    (1u << RADIX_BITS)
#define RADIX_PASSES  6

typedef struct
{
  guint64 s[4];
} Rng;

typedef enum
{
  SAMPLE_CONSTANT,
  SAMPLE_NORMAL,
  SAMPLE_T,
  SAMPLE_RECTANGULAR,
  SAMPLE_TRIANGULAR,
  SAMPLE_ARCSINE,
  SAMPLE_TRAPEZOIDAL,
  SAMPLE_CURVILINEAR,
  SAMPLE_GROUP,       /* sampled with its correlated group */
} SampleKind;

typedef struct
{
  SampleKind kind;
  double     value;
  double     scale;   /* σ, t scale or half-width */
  double     dof;     /* t */
  double     beta;    /* trapezoidal */
  double     d;       /* curvilinear trapezoidal */
} Sampler;

/* Inputs linked by non-zero correlations, sampled together. */
typedef struct
{
  guint   n;
  guint  *members;    /* input indices, ascending */
  double *chol;       /* n×n lower triangle of the correlation matrix's factor */
  double *value;
  double *scale;
  double  dof;        /* shared χ² of a multivariate t; INFINITY for normal */
} Group;

typedef struct
{
  guint          n_inputs;
  guint          n_outputs;
  Sampler       *samplers;
  Group         *groups;
  guint          n_groups;
  const CbExpr **exprs;
  const char   **names;   /* outputs' */
  guint64        seed;
} Plan;

typedef struct
{
  CbMcmProgressFunc func;
  gpointer          user_data;
  double            last;
  double            total;      /* trials expected in all */
  double            ceiling;    /* highest fraction reported before the end */
} Progress;

/* Work shared by the calling thread and helpers from the pool. */
typedef struct _Job Job;

struct _Job
{
  void    (*run) (Job *job);
  GMutex    lock;
  GCond     finished;
  guint     n_running;   /* helpers still at work */
};

/* One batch of trials, shared by the threads that run its blocks. */
typedef struct
{
  Job           job;
  const Plan   *plan;
  double      **storage;        /* per output: where the batch's values go */
  guint64       n_trials;
  guint64       first_block;    /* generator stream of the batch's block 0 */
  gint          n_blocks;
  gint          next_block;     /* atomic */
  gint          stop_block;     /* atomic: blocks from here on are skipped */
  GCancellable *cancellable;
  Progress     *progress;
  guint64       trials_before;  /* for the progress fraction */

  /* under job.lock */
  guint64       trials_done;
  gboolean      cancelled;
  GError       *error;          /* of the lowest failing block */
} Batch;

typedef struct
{
  double mean;
  double u;
  double low;
  double high;
  double symmetric_low;
  double symmetric_high;
} Summary;

#define N_SUMMARY_FIELDS 6

static double
summary_field (const Summary *s,
               guint          field)
{
  switch (field)
    {
    case 0:
      return s->mean;
    case 1:
      return s->u;
    case 2:
      return s->low;
    case 3:
      return s->high;
    case 4:
      return s->symmetric_low;
    default:
      return s->symmetric_high;
    }
}

struct _CbMcmResult
{
  guint64      trials;
  double       p;
  guint        n_outputs;
  CbMcmOutput *outputs;
  char       **names;
  double      *correlation;   /* n_outputs², row-major */
  double      *tolerance;
  double     **sorted;
};

G_DEFINE_QUARK (cb-mcm-error-quark, cb_mcm_error)

/* The generator: xoshiro256** seeded through splitmix64 */

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
splitmix64_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
mix64 (guint64 x)
{
  return splitmix64_next (&x);
}

/* A stream per (seed, block): mixing the block index through a bijection
 * keeps the streams of one seed apart. */
static void
rng_seed (Rng     *rng,
          guint64  seed,
          guint64  block)
{
  guint64 state = mix64 (seed ^ mix64 (block + 1));

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64_next (&state);
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
    rng->s[0] = 1;
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform on the open interval (0, 1) with 53 random bits: never 0, so its
 * logarithm is always finite. */
static inline double
rng_uniform (Rng *rng)
{
  return ((double) (rng_next (rng) >> 11) + 0.5) * 0x1.0p-53;
}

/* Uniform on (−1, 1), never 0. */
static inline double
rng_signed_uniform (Rng *rng)
{
  return 2 * rng_uniform (rng) - 1;
}

/* Marsaglia's polar method: exact in the tails down to the 2^-106 resolution
 * of u² + v², that is beyond 12 standard deviations. */
static void
fill_normal (Rng    *rng,
             double *out,
             gsize   n)
{
  gsize i = 0;

  while (i < n)
    {
      double u, v, s, f;

      do
        {
          u = rng_signed_uniform (rng);
          v = rng_signed_uniform (rng);
          s = u * u + v * v;
        }
      while (s >= 1);

      f = sqrt (-2 * log (s) / s);
      out[i++] = u * f;
      if (i < n)
        out[i++] = v * f;
    }
}

static double
rng_normal (Rng *rng)
{
  double z;

  fill_normal (rng, &z, 1);
  return z;
}

/* Bailey's polar method for Student's t with any real ν > 0; @e is −2/ν. */
static inline double
rng_t (Rng    *rng,
       double  dof,
       double  e)
{
  double u, v, w;

  do
    {
      u = rng_signed_uniform (rng);
      v = rng_signed_uniform (rng);
      w = u * u + v * v;
    }
  while (w >= 1);

  return u * sqrt (dof * expm1 (e * log (w)) / w);
}

/* Marsaglia and Tsang's method, with the boost U^(1/a) for a < 1. */
static double
rng_gamma (Rng    *rng,
           double  a)
{
  double d, c;

  if (a < 1)
    return rng_gamma (rng, a + 1) * pow (rng_uniform (rng), 1 / a);

  d = a - 1.0 / 3;
  c = 1 / sqrt (9 * d);
  for (;;)
    {
      double x, v, u;

      do
        {
          x = rng_normal (rng);
          v = 1 + c * x;
        }
      while (v <= 0);
      v = v * v * v;
      u = rng_uniform (rng);
      if (u < 1 - 0.0331 * (x * x) * (x * x))
        return d * v;
      if (log (u) < 0.5 * x * x + d * (1 - v + log (v)))
        return d * v;
    }
}

/* Sampling */

static void
sample_column (const Sampler *s,
               Rng           *rng,
               double        *x,
               gsize          n)
{
  double c = s->value, a = s->scale;

  switch (s->kind)
    {
    case SAMPLE_CONSTANT:
      for (gsize t = 0; t < n; t++)
        x[t] = c;
      break;

    case SAMPLE_NORMAL:
      fill_normal (rng, x, n);
      for (gsize t = 0; t < n; t++)
        x[t] = c + a * x[t];
      break;

    case SAMPLE_T:
      {
        double e = -2 / s->dof;

        for (gsize t = 0; t < n; t++)
          x[t] = c + a * rng_t (rng, s->dof, e);
      }
      break;

    case SAMPLE_RECTANGULAR:
      for (gsize t = 0; t < n; t++)
        x[t] = c + a * rng_signed_uniform (rng);
      break;

    case SAMPLE_TRIANGULAR:
      /* JCGM 101 6.4.5.4: the sum of two uniforms */
      for (gsize t = 0; t < n; t++)
        {
          double r1 = rng_uniform (rng);
          double r2 = rng_uniform (rng);

          x[t] = c + a * (r1 + r2 - 1);
        }
      break;

    case SAMPLE_ARCSINE:
      /* JCGM 101 6.4.6.4 takes sin(2πr); the same law without a sine:
       * for (u, v) uniform in the unit disc, (u² − v²)/(u² + v²) = cos 2φ
       * with φ uniform. */
      for (gsize t = 0; t < n; t++)
        {
          double u, v, s2;

          do
            {
              u = rng_signed_uniform (rng);
              v = rng_signed_uniform (rng);
              s2 = u * u + v * v;
            }
          while (s2 >= 1);
          x[t] = c + a * (u * u - v * v) / s2;
        }
      break;

    case SAMPLE_TRAPEZOIDAL:
      /* JCGM 101 6.4.4.4: uniforms of widths (1 + β)a and (1 − β)a */
      for (gsize t = 0; t < n; t++)
        {
          double r1 = rng_uniform (rng);
          double r2 = rng_uniform (rng);

          x[t] = c + a * ((1 + s->beta) * r1 + (1 - s->beta) * r2 - 1);
        }
      break;

    case SAMPLE_CURVILINEAR:
      /* JCGM 101 6.4.3.4: a half-width uniform on [a − d, a + d], then a
       * uniform of that half-width */
      for (gsize t = 0; t < n; t++)
        {
          double w = a + s->d * rng_signed_uniform (rng);

          x[t] = c + w * rng_signed_uniform (rng);
        }
      break;

    case SAMPLE_GROUP:
    default:
      break;
    }
}

/* x = value + scale · L z, and for a multivariate t (JCGM 101 6.4.10) the
 * whole vector divided by one √(χ²_ν/ν). */
static void
sample_group (const Group  *group,
              Rng          *rng,
              double      **columns,
              double       *divisor,
              gsize         n)
{
  guint m = group->n;

  for (guint i = 0; i < m; i++)
    fill_normal (rng, columns[group->members[i]], n);

  if (isfinite (group->dof))
    for (gsize t = 0; t < n; t++)
      divisor[t] = sqrt (group->dof / (2 * rng_gamma (rng, group->dof / 2)));

  for (gsize t = 0; t < n; t++)
    {
      double f = isfinite (group->dof) ? divisor[t] : 1;

      /* Downwards, so that row i still finds z_0 … z_i in place. */
      for (guint i = m; i-- > 0;)
        {
          const double *row = group->chol + (gsize) i * m;
          double sum = 0;

          for (guint k = 0; k <= i; k++)
            sum += row[k] * columns[group->members[k]][t];
          columns[group->members[i]][t] = group->value[i] + group->scale[i] * sum * f;
        }
    }
}

static void
sample_inputs (const Plan  *plan,
               Rng         *rng,
               double     **columns,
               double      *divisor,
               gsize        n)
{
  for (guint i = 0; i < plan->n_inputs; i++)
    sample_column (&plan->samplers[i], rng, columns[i], n);
  for (guint g = 0; g < plan->n_groups; g++)
    sample_group (&plan->groups[g], rng, columns, divisor, n);
}

/* Building the plan */

static void
sampler_for_input (const CbInput *input,
                   Sampler       *s)
{
  memset (s, 0, sizeof *s);
  s->value = input->value;
  s->dof = input->dof;

  if (input->kind == CB_INPUT_DISTRIBUTION && input->distribution != CB_DISTRIBUTION_STUDENT_T)
    {
      s->scale = input->distribution == CB_DISTRIBUTION_NORMAL ? input->u : input->half_width;
      s->beta = input->beta;
      s->d = input->d;
      switch (input->distribution)
        {
        case CB_DISTRIBUTION_NORMAL:
          s->kind = SAMPLE_NORMAL;
          break;
        case CB_DISTRIBUTION_RECTANGULAR:
          s->kind = SAMPLE_RECTANGULAR;
          break;
        case CB_DISTRIBUTION_TRIANGULAR:
          s->kind = SAMPLE_TRIANGULAR;
          break;
        case CB_DISTRIBUTION_ARCSINE:
          s->kind = SAMPLE_ARCSINE;
          break;
        case CB_DISTRIBUTION_TRAPEZOIDAL:
          s->kind = SAMPLE_TRAPEZOIDAL;
          break;
        case CB_DISTRIBUTION_CURVILINEAR_TRAPEZOIDAL:
          s->kind = SAMPLE_CURVILINEAR;
          if (!isfinite (s->d))
            s->d = 0;
          break;
        case CB_DISTRIBUTION_STUDENT_T:
        default:
          s->kind = SAMPLE_NORMAL;
          s->scale = input->u;
          break;
        }
      if (s->kind == SAMPLE_TRAPEZOIDAL && !isfinite (s->beta))
        s->beta = 0;
    }
  else if (input->distribution == CB_DISTRIBUTION_STUDENT_T || isfinite (input->dof))
    {
      /* Type A (JCGM 101 6.4.9) and t given by its scale use the scale; a u
       * with finite dof is the scale of t_ν as in JCGM 101 9.5. */
      s->kind = isfinite (input->dof) ? SAMPLE_T : SAMPLE_NORMAL;
      s->scale = isfinite (input->scale) ? input->scale : input->u;
    }
  else
    {
      s->kind = SAMPLE_NORMAL;
      s->scale = input->u;
    }

  if (!isfinite (s->scale) || s->scale <= 0)
    {
      s->kind = SAMPLE_CONSTANT;
      s->scale = 0;
    }
}

/* In-place Cholesky factor of a correlation matrix (lower triangle).  A zero
 * pivot (a coefficient of ±1) gives a zero column, which is exact for a
 * positive semi-definite matrix; a negative pivot means no such matrix. */
static gboolean
cholesky (double *a,
          guint   n)
{
  for (guint j = 0; j < n; j++)
    {
      double d = a[j * n + j];

      for (guint k = 0; k < j; k++)
        d -= a[j * n + k] * a[j * n + k];

      if (d < -1e-9)
        return FALSE;

      if (d <= 1e-12)
        {
          a[j * n + j] = 0;
          for (guint i = j + 1; i < n; i++)
            {
              double r = a[i * n + j];

              for (guint k = 0; k < j; k++)
                r -= a[i * n + k] * a[j * n + k];
              if (fabs (r) > 1e-6)
                return FALSE;
              a[i * n + j] = 0;
            }
        }
      else
        {
          double l = sqrt (d);

          a[j * n + j] = l;
          for (guint i = j + 1; i < n; i++)
            {
              double r = a[i * n + j];

              for (guint k = 0; k < j; k++)
                r -= a[i * n + k] * a[j * n + k];
              a[i * n + j] = r / l;
            }
        }
      for (guint i = 0; i < j; i++)
        a[i * n + j] = 0;
    }
  return TRUE;
}

static void
plan_clear (Plan *plan)
{
  for (guint g = 0; g < plan->n_groups; g++)
    {
      g_free (plan->groups[g].members);
      g_free (plan->groups[g].chol);
      g_free (plan->groups[g].value);
      g_free (plan->groups[g].scale);
    }
  g_clear_pointer (&plan->groups, g_free);
  g_clear_pointer (&plan->samplers, g_free);
  g_clear_pointer (&plan->exprs, g_free);
  g_clear_pointer (&plan->names, g_free);
}

static gboolean
plan_build_groups (Plan            *plan,
                   const CbBudget  *budget,
                   GError         **error)
{
  guint n = plan->n_inputs;
  g_autofree guint *component = g_new (guint, n + 1);
  g_autofree guint *size = g_new0 (guint, n + 1);
  guint n_observed = 0, n_readings = 0;

  for (guint i = 0; i < n; i++)
    {
      const CbInput *input = cb_budget_get_input (budget, i);

      if (input->kind == CB_INPUT_OBSERVED && input->readings != NULL)
        {
          n_observed++;
          n_readings = input->readings->len;
        }
    }

  /* Connected components of the "correlated with" relation. */
  for (guint i = 0; i < n; i++)
    component[i] = i;
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        double r = cb_budget_get_correlation (budget, i, j);

        if (r != 0 && isfinite (r) && component[i] != component[j])
          {
            guint from = component[j], to = component[i];

            for (guint k = 0; k < n; k++)
              if (component[k] == from)
                component[k] = to;
          }
      }
  for (guint i = 0; i < n; i++)
    size[component[i]]++;

  plan->groups = g_new0 (Group, n + 1);
  for (guint root = 0; root < n; root++)
    {
      Group *group;
      gboolean observed = TRUE;
      guint m = 0;

      if (size[root] < 2)
        continue;

      group = &plan->groups[plan->n_groups++];
      group->n = size[root];
      group->members = g_new (guint, group->n);
      group->chol = g_new (double, (gsize) group->n * group->n);
      group->value = g_new (double, group->n);
      group->scale = g_new (double, group->n);

      for (guint i = 0; i < n; i++)
        if (component[i] == root)
          {
            const CbInput *input = cb_budget_get_input (budget, i);

            group->members[m++] = i;
            if (input->kind != CB_INPUT_OBSERVED || !isfinite (input->scale))
              observed = FALSE;
          }

      /* N quantities observed together n times (JCGM 102, GUM Supplement 2,
       * 5.3.2): the multivariate t_ν(x̄, (n − 1)/(n − N) · S/n), ν = n − N,
       * whose covariance is (n − 1)/(n − N − 2) · S/n.  Other correlated
       * inputs: a multivariate normal with their standard uncertainties. */
      if (observed && n_readings <= n_observed)
        {
          g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                       _("observations: Monte Carlo needs more simultaneous readings than observed quantities, found %u readings of %u quantities"),
                       n_readings, n_observed);
          return FALSE;
        }
      group->dof = observed ? (double) (n_readings - n_observed) : INFINITY;
      for (guint a = 0; a < m; a++)
        {
          const CbInput *input = cb_budget_get_input (budget, group->members[a]);

          group->value[a] = input->value;
          group->scale[a] = observed ? input->scale * sqrt ((n_readings - 1.0) / group->dof)
                                     : input->u;
          if (!isfinite (group->scale[a]) || group->scale[a] < 0)
            group->scale[a] = 0;
          plan->samplers[group->members[a]].kind = SAMPLE_GROUP;
          for (guint b = 0; b < m; b++)
            group->chol[a * m + b] = a == b ? 1
                                     : cb_budget_get_correlation (budget, group->members[a],
                                                                  group->members[b]);
        }

      if (!cholesky (group->chol, m))
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint a = 0; a < m; a++)
            g_string_append_printf (names, "%s\"%s\"", a > 0 ? ", " : "",
                                    cb_budget_get_input (budget, group->members[a])->name);
          g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                       _("correlations: the correlation matrix of %s is not positive semi-definite"),
                       names->str);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
plan_init (Plan            *plan,
           const CbBudget  *budget,
           guint64          seed,
           GError         **error)
{
  memset (plan, 0, sizeof *plan);
  plan->seed = seed;
  plan->n_inputs = cb_budget_get_n_inputs (budget);
  plan->n_outputs = cb_budget_get_n_outputs (budget);
  plan->samplers = g_new0 (Sampler, plan->n_inputs + 1);
  plan->exprs = g_new0 (const CbExpr *, plan->n_outputs + 1);
  plan->names = g_new0 (const char *, plan->n_outputs + 1);

  for (guint i = 0; i < plan->n_inputs; i++)
    sampler_for_input (cb_budget_get_input (budget, i), &plan->samplers[i]);

  for (guint j = 0; j < plan->n_outputs; j++)
    {
      plan->names[j] = cb_budget_get_output_name (budget, j);
      plan->exprs[j] = cb_budget_get_output_expr (budget, j);
      if (plan->exprs[j] == NULL)
        {
          g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_EVALUATION,
                       _("outputs.%s: the model has no expression"), plan->names[j]);
          return FALSE;
        }
    }

  return plan_build_groups (plan, budget, error);
}

/* Running a batch */

static void
report_progress (Batch   *batch,
                 guint64  trials)
{
  Progress *progress = batch->progress;
  double fraction;

  if (progress->func == NULL)
    return;

  fraction = MIN ((double) (batch->trials_before + trials) / progress->total, progress->ceiling);
  if (fraction > progress->last)
    {
      progress->last = fraction;
      progress->func (fraction, progress->user_data);
    }
}

/* Keeps the error of the lowest block, so that a failing run reports the
 * same error whatever the thread count. */
static void
batch_fail (Batch  *batch,
            gint    block,
            GError *error)
{
  g_mutex_lock (&batch->job.lock);
  if (block < g_atomic_int_get (&batch->stop_block))
    {
      g_atomic_int_set (&batch->stop_block, block);
      g_clear_error (&batch->error);
      batch->error = error;
    }
  else
    g_error_free (error);
  g_mutex_unlock (&batch->job.lock);
}

static gboolean
evaluate_block (const Plan  *plan,
                double     **columns,
                double     **storage,
                guint64      offset,
                gsize        count,
                GError     **error)
{
  for (guint j = 0; j < plan->n_outputs; j++)
    {
      g_autoptr(GError) local = NULL;
      double *out = storage[j] + offset;

      columns[plan->n_inputs + j] = out;
      if (!cb_expr_evaluate_block (plan->exprs[j], (const double * const *) columns,
                                   count, out, &local))
        {
          g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_EVALUATION,
                       _("outputs.%s: %s"), plan->names[j],
                       local != NULL ? local->message : _("the model cannot be evaluated"));
          return FALSE;
        }
      for (gsize t = 0; t < count; t++)
        if (!isfinite (out[t]))
          {
            g_autofree char *values = g_strdup_printf ("%g", out[t]);

            g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_EVALUATION,
                         _("outputs.%s: the model gave %s in a Monte Carlo trial"),
                         plan->names[j], values);
            return FALSE;
          }
    }
  return TRUE;
}

static void
run_blocks (Batch *batch)
{
  const Plan *plan = batch->plan;
  guint n_columns = plan->n_inputs + plan->n_outputs;
  g_autofree double *scratch = g_try_new (double, (gsize) (plan->n_inputs + 1) * BLOCK_SIZE);
  g_autofree double **columns = g_new0 (double *, n_columns + 1);
  double *divisor;

  if (scratch == NULL)
    {
      batch_fail (batch, 0, g_error_new (CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                                         _("inputs: not enough memory to sample %u inputs"),
                                         plan->n_inputs));
      return;
    }
  divisor = scratch + (gsize) plan->n_inputs * BLOCK_SIZE;
  for (guint i = 0; i < plan->n_inputs; i++)
    columns[i] = scratch + (gsize) i * BLOCK_SIZE;

  for (;;)
    {
      gint block = g_atomic_int_add (&batch->next_block, 1);
      guint64 offset;
      gsize count;
      GError *error = NULL;
      Rng rng;

      if (block >= batch->n_blocks || block >= g_atomic_int_get (&batch->stop_block))
        break;

      if (g_cancellable_is_cancelled (batch->cancellable))
        {
          g_mutex_lock (&batch->job.lock);
          batch->cancelled = TRUE;
          g_atomic_int_set (&batch->stop_block, -1);
          g_mutex_unlock (&batch->job.lock);
          break;
        }

      offset = (guint64) block * BLOCK_SIZE;
      count = (gsize) MIN ((guint64) BLOCK_SIZE, batch->n_trials - offset);
      rng_seed (&rng, plan->seed, batch->first_block + (guint64) block);
      sample_inputs (plan, &rng, columns, divisor, count);

      if (!evaluate_block (plan, columns, batch->storage, offset, count, &error))
        {
          batch_fail (batch, block, error);
          break;
        }

      g_mutex_lock (&batch->job.lock);
      batch->trials_done += count;
      report_progress (batch, batch->trials_done);
      g_mutex_unlock (&batch->job.lock);
    }
}

static void
on_pool_task (gpointer data,
              gpointer user_data)
{
  Job *job = data;

  job->run (job);

  g_mutex_lock (&job->lock);
  job->n_running--;
  g_cond_signal (&job->finished);
  g_mutex_unlock (&job->lock);
}

/* Runs @job on the calling thread and on @helpers threads of @pool. */
static void
job_run (Job         *job,
         GThreadPool *pool,
         guint        helpers)
{
  g_mutex_init (&job->lock);
  g_cond_init (&job->finished);
  if (pool == NULL)
    helpers = 0;

  job->n_running = helpers;
  for (guint i = 0; i < helpers; i++)
    g_thread_pool_push (pool, job, NULL);

  job->run (job);

  g_mutex_lock (&job->lock);
  while (job->n_running > 0)
    g_cond_wait (&job->finished, &job->lock);
  g_mutex_unlock (&job->lock);

  g_mutex_clear (&job->lock);
  g_cond_clear (&job->finished);
}

static void
run_batch_job (Job *job)
{
  run_blocks ((Batch *) job);
}

/* Runs @n_trials trials into @storage (per output), blocks numbered from
 * @first_block, on the calling thread and up to @n_threads − 1 of @pool. */
static gboolean
run_batch (const Plan    *plan,
           GThreadPool   *pool,
           guint          n_threads,
           double       **storage,
           guint64        n_trials,
           guint64        first_block,
           guint64        trials_before,
           Progress      *progress,
           GCancellable  *cancellable,
           GError       **error)
{
  Batch batch = {
    .job.run = run_batch_job,
    .plan = plan,
    .storage = storage,
    .n_trials = n_trials,
    .first_block = first_block,
    .n_blocks = (gint) ((n_trials + BLOCK_SIZE - 1) / BLOCK_SIZE),
    .next_block = 0,
    .stop_block = G_MAXINT,
    .cancellable = cancellable,
    .progress = progress,
    .trials_before = trials_before,
  };
  guint helpers = 0;
  gboolean ok;

  if (n_threads > 1 && batch.n_blocks > 1)
    helpers = MIN (n_threads, (guint) batch.n_blocks) - 1;
  job_run (&batch.job, pool, helpers);

  ok = batch.error == NULL && !batch.cancelled;
  if (batch.error != NULL)
    g_propagate_error (error, g_steal_pointer (&batch.error));
  else if (batch.cancelled && !g_cancellable_set_error_if_cancelled (cancellable, error))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
  return ok;
}

/* Statistics */

/* Mean by Neumaier's compensated sum, then the standard deviation with the
 * 1/(M − 1) of JCGM 101 7.6. */
static void
mean_sd (const double *x,
         gsize         n,
         double       *mean,
         double       *sd)
{
  double sum = 0, compensation = 0, m, ss = 0;

  for (gsize i = 0; i < n; i++)
    {
      double t = sum + x[i];

      if (fabs (sum) >= fabs (x[i]))
        compensation += (sum - t) + x[i];
      else
        compensation += (x[i] - t) + sum;
      sum = t;
    }
  m = n > 0 ? (sum + compensation) / n : NAN;

  for (gsize i = 0; i < n; i++)
    ss += (x[i] - m) * (x[i] - m);

  *mean = m;
  *sd = n > 1 ? sqrt (ss / (n - 1)) : 0;
}

static inline guint64
double_to_key (double x)
{
  guint64 bits;

  memcpy (&bits, &x, sizeof bits);
  /* Negative numbers: all bits flipped; others: the sign bit set. */
  return (bits >> 63) ? ~bits : bits | (G_GUINT64_CONSTANT (1) << 63);
}

static inline double
key_to_double (guint64 key)
{
  guint64 bits = (key >> 63) ? key & ~(G_GUINT64_CONSTANT (1) << 63) : ~key;
  double x;

  memcpy (&x, &bits, sizeof x);
  return x;
}

/* Sorts @values by their keys.  One pass counts every digit; passes where
 * all keys share a digit are skipped (most of the exponent for measurement
 * data); the first pass makes the keys from the doubles and the keys move
 * between @tmp and @values' own memory. */
static void
radix_sort (double  *values,
            gsize    n,
            guint64 *tmp)
{
  g_autofree gsize *counts = NULL;
  guint64 *buffers[2] = { tmp, (guint64 *) (gpointer) values };
  guint active[RADIX_PASSES], n_active = 0;
  guint64 first;
  const guint64 *last;

  if (n < 2)
    return;

  counts = g_new0 (gsize, RADIX_PASSES * RADIX_SIZE);
  for (gsize i = 0; i < n; i++)
    {
      guint64 key = double_to_key (values[i]);

      for (guint pass = 0; pass < RADIX_PASSES; pass++)
        counts[pass * RADIX_SIZE + ((key >> (pass * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
    }

  first = double_to_key (values[0]);
  for (guint pass = 0; pass < RADIX_PASSES; pass++)
    {
      gsize *count = counts + pass * RADIX_SIZE;
      gsize position = 0;

      if (count[(first >> (pass * RADIX_BITS)) & (RADIX_SIZE - 1)] == n)
        continue;
      active[n_active++] = pass;
      for (guint digit = 0; digit < RADIX_SIZE; digit++)
        {
          gsize c = count[digit];

          count[digit] = position;
          position += c;
        }
    }
  if (n_active == 0)
    return;   /* all equal */

  for (guint a = 0; a < n_active; a++)
    {
      gsize *count = counts + active[a] * RADIX_SIZE;
      guint shift = active[a] * RADIX_BITS;
      guint64 *dst = buffers[a % 2];

      if (a == 0)
        for (gsize i = 0; i < n; i++)
          {
            guint64 key = double_to_key (values[i]);

            dst[count[(key >> shift) & (RADIX_SIZE - 1)]++] = key;
          }
      else
        {
          const guint64 *src = buffers[(a - 1) % 2];

          for (gsize i = 0; i < n; i++)
            {
              guint64 key = src[i];

              dst[count[(key >> shift) & (RADIX_SIZE - 1)]++] = key;
            }
        }
    }

  last = buffers[(n_active - 1) % 2];
  for (gsize i = 0; i < n; i++)
    values[i] = key_to_double (last[i]);
}

/* q = pM rounded to an integer (JCGM 101 7.7.1); 0 when M − q < 1. */
static gsize
coverage_count (gsize  n,
                double p)
{
  double q = floor (p * (double) n + 0.5);

  if (!(q >= 1) || q >= (double) n)
    return 0;
  return (gsize) q;
}

static void
intervals_of_sorted (const double *y,
                     gsize         n,
                     gsize         q,
                     Summary      *s)
{
  gsize best = 0, r;
  double width = y[q] - y[0];

  /* JCGM 101 7.7.2: the shortest of [y_(r), y_(r+q)], r = 1 … M − q */
  for (r = 1; r + q < n; r++)
    {
      double w = y[r + q] - y[r];

      if (w < width)
        {
          width = w;
          best = r;
        }
    }
  s->low = y[best];
  s->high = y[best + q];

  /* 7.7.1: r = (M − q)/2 when an integer, else the integer part of (M − q + 1)/2 */
  r = (n - q) % 2 == 0 ? (n - q) / 2 : (n - q + 1) / 2;
  s->symmetric_low = y[r - 1];
  s->symmetric_high = y[r - 1 + q];
}

gboolean
cb_mcm_coverage_intervals (double *values,
                           gsize   n_values,
                           double  p,
                           double *low,
                           double *high,
                           double *symmetric_low,
                           double *symmetric_high)
{
  g_autofree guint64 *tmp = NULL;
  Summary s;
  gsize q;

  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);

  q = coverage_count (n_values, p);
  if (q == 0 || !(p < 1))
    return FALSE;

  tmp = g_try_new (guint64, n_values);
  if (tmp == NULL)
    return FALSE;

  radix_sort (values, n_values, tmp);
  intervals_of_sorted (values, n_values, q, &s);

  if (low != NULL)
    *low = s.low;
  if (high != NULL)
    *high = s.high;
  if (symmetric_low != NULL)
    *symmetric_low = s.symmetric_low;
  if (symmetric_high != NULL)
    *symmetric_high = s.symmetric_high;
  return TRUE;
}

/* Summary of @values, which are sorted in place. */
static gboolean
summarize (double   *values,
           gsize     n,
           double    p,
           Summary  *s,
           GError  **error)
{
  mean_sd (values, n, &s->mean, &s->u);
  if (!cb_mcm_coverage_intervals (values, n, p, &s->low, &s->high,
                                  &s->symmetric_low, &s->symmetric_high))
    {
      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("trials: not enough memory to sort %lu model values"), (unsigned long) n);
      return FALSE;
    }
  return TRUE;
}

/* JCGM 101 7.9.2: δ = ½·10^l with u = c × 10^l, c an integer of two digits. */
static double
numerical_tolerance (double u)
{
  double l, c;

  if (!(u > 0) || !isfinite (u))
    return 0;
  l = floor (log10 (u)) - 1;
  c = round (u / pow (10, l));
  if (c >= 100)
    l += 1;
  else if (c < 10)
    l -= 1;
  return 0.5 * pow (10, l);
}

/* Options */

static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

static guint64
minimum_trials (double p)
{
  /* 100/(1 − p), less a hair so that p = 0.95 gives 2000 and not 2001 */
  return (guint64) ceil (100 / (1 - p) * (1 - 1e-12));
}

typedef struct
{
  double   p;
  guint64  trials;       /* fixed: M; adaptive: the batch */
  guint64  max_trials;   /* adaptive */
  double   tolerance;
  gboolean adaptive;
  guint    n_threads;
} Settings;

static gboolean
check_options (const CbMcmOptions  *options,
               const CbBudget      *budget,
               Settings            *set,
               GError             **error)
{
  double budget_p, budget_k;
  guint64 least;

  set->adaptive = options->adaptive;
  set->tolerance = options->tolerance;

  if (options->p == 0)
    {
      cb_budget_get_coverage (budget, &budget_p, &budget_k);
      set->p = isfinite (budget_p) ? budget_p : 0.95;
    }
  else
    set->p = options->p;
  if (!(set->p > 0 && set->p < 1))
    {
      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("p: expected a coverage probability above 0 and below 1, found %.15g"),
                   set->p);
      return FALSE;
    }

  if (!(options->tolerance >= 0) || !isfinite (options->tolerance))
    {
      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("tolerance: expected a positive number (or 0 to derive it from u), found %.15g"),
                   options->tolerance);
      return FALSE;
    }

  least = minimum_trials (set->p);
  if (options->trials != 0)
    set->trials = options->trials;
  else if (options->adaptive)
    set->trials = MAX (least, ADAPTIVE_MIN_BATCH);
  else
    set->trials = DEFAULT_TRIALS;

  if (set->trials < least)
    {
      g_autofree char *expected = format_count (least);
      g_autofree char *found = format_count (set->trials);

      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("trials: expected at least %s (100/(1 − p)) for a coverage probability of %.15g, found %s"),
                   expected, set->p, found);
      return FALSE;
    }

  set->max_trials = options->max_trials != 0 ? options->max_trials : DEFAULT_MAX_TRIALS;
  if (set->trials > MAX_TRIALS || (options->adaptive && set->max_trials > MAX_TRIALS))
    {
      g_autofree char *expected = format_count (MAX_TRIALS);
      g_autofree char *found = format_count (set->trials > MAX_TRIALS ? set->trials : set->max_trials);

      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("%s: expected at most %s trials, found %s"),
                   set->trials > MAX_TRIALS ? "trials" : "max_trials", expected, found);
      return FALSE;
    }
  if (options->adaptive && set->max_trials < 2 * set->trials)
    {
      g_autofree char *expected = format_count (2 * set->trials);
      g_autofree char *found = format_count (set->max_trials);

      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("max_trials: expected at least two batches of trials, %s, found %s"),
                   expected, found);
      return FALSE;
    }

  set->n_threads = options->n_threads != 0 ? options->n_threads : g_get_num_processors ();
  set->n_threads = CLAMP (set->n_threads, 1, MAX_THREADS);
  return TRUE;
}

/* Storage of the model values */

typedef struct
{
  guint     n_outputs;
  double  **values;
  guint64   length;
  guint64   capacity;
} Storage;

static void
storage_clear (Storage *storage)
{
  for (guint j = 0; j < storage->n_outputs; j++)
    g_free (storage->values[j]);
  g_clear_pointer (&storage->values, g_free);
}

static gboolean
storage_reserve (Storage  *storage,
                 guint64   length,
                 GError  **error)
{
  guint64 capacity;

  if (length <= storage->capacity)
    return TRUE;

  capacity = MAX (length, storage->capacity + storage->capacity / 2);
  for (guint j = 0; j < storage->n_outputs; j++)
    {
      double *grown = g_try_realloc_n (storage->values[j], (gsize) capacity, sizeof (double));

      if (grown == NULL)
        {
          g_autofree char *found = format_count (length);

          g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                       _("trials: not enough memory for %s model values"), found);
          return FALSE;
        }
      storage->values[j] = grown;
    }
  storage->capacity = capacity;
  return TRUE;
}

/* The adaptive procedure, JCGM 101 7.9.4 */

typedef struct
{
  GArray *batches;     /* of Summary */
  gsize   count;       /* running mean and M2 of all values (Chan et al.) */
  double  mean;
  double  m2;
  double  tolerance;
} Tracker;

static void
tracker_add (Tracker       *tracker,
             const Summary *batch,
             gsize          m)
{
  double delta = batch->mean - tracker->mean;
  double n = (double) tracker->count + (double) m;

  tracker->m2 += batch->u * batch->u * (double) (m - 1)
                 + delta * delta * (double) tracker->count * (double) m / n;
  tracker->mean += delta * (double) m / n;
  tracker->count += m;
  g_array_append_val (tracker->batches, *batch);
}

/* Whether every quantity of the batches has 2 s ≤ δ, s the standard deviation
 * of their average; also the number of batches that would seem to do. */
static gboolean
tracker_converged (Tracker    *tracker,
                   double      fixed_tolerance,
                   double     *batches_needed)
{
  guint h = tracker->batches->len;
  double u = tracker->count > 1 ? sqrt (tracker->m2 / (double) (tracker->count - 1)) : 0;
  gboolean ok = TRUE;

  tracker->tolerance = fixed_tolerance > 0 ? fixed_tolerance : numerical_tolerance (u);
  *batches_needed = h + 1;

  for (guint field = 0; field < N_SUMMARY_FIELDS; field++)
    {
      double sum = 0, ss = 0, average, s;

      for (guint r = 0; r < h; r++)
        sum += summary_field (&g_array_index (tracker->batches, Summary, r), field);
      average = sum / h;
      for (guint r = 0; r < h; r++)
        {
          double d = summary_field (&g_array_index (tracker->batches, Summary, r), field) - average;

          ss += d * d;
        }
      s = sqrt (ss / ((double) h * (h - 1)));

      if (!(2 * s <= tracker->tolerance))
        {
          ok = FALSE;
          /* s falls as 1/√h */
          if (tracker->tolerance > 0)
            *batches_needed = MAX (*batches_needed, h * (2 * s / tracker->tolerance) * (2 * s / tracker->tolerance));
        }
    }
  return ok;
}

static gboolean
run_adaptive (const Plan      *plan,
              const CbBudget  *budget,
              const Settings  *set,
              GThreadPool     *pool,
              Storage         *storage,
              Progress        *progress,
              GCancellable    *cancellable,
              double          *tolerance,
              GError         **error)
{
  guint n_reported = 0;
  const guint *reported = cb_budget_get_reported (budget, &n_reported);
  g_autofree Tracker *trackers = g_new0 (Tracker, n_reported + 1);
  g_autofree double *scratch = NULL;
  g_autofree double **at = g_new0 (double *, plan->n_outputs + 1);
  guint64 block = 0;
  gboolean ok = FALSE;

  scratch = g_try_new (double, (gsize) set->trials);
  if (scratch == NULL)
    {
      g_autofree char *found = format_count (set->trials);

      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("trials: not enough memory for %s model values"), found);
      return FALSE;
    }
  for (guint k = 0; k < n_reported; k++)
    trackers[k].batches = g_array_new (FALSE, FALSE, sizeof (Summary));

  progress->total = 2 * (double) set->trials;
  progress->ceiling = 0.99;

  for (;;)
    {
      guint64 start = storage->length;
      double needed = 0;
      gboolean converged = TRUE;

      if (start + set->trials > set->max_trials)
        {
          g_autofree char *cap = format_count (set->max_trials);

          g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_NOT_CONVERGED,
                       _("max_trials: the results did not stabilise to the numerical tolerance within %s trials"),
                       cap);
          goto out;
        }
      if (!storage_reserve (storage, start + set->trials, error))
        goto out;
      for (guint j = 0; j < plan->n_outputs; j++)
        at[j] = storage->values[j] + start;

      if (!run_batch (plan, pool, set->n_threads, at, set->trials, block, start,
                      progress, cancellable, error))
        goto out;
      storage->length += set->trials;
      block += (set->trials + BLOCK_SIZE - 1) / BLOCK_SIZE;

      for (guint k = 0; k < n_reported; k++)
        {
          Summary s;

          memcpy (scratch, at[reported[k]], (gsize) set->trials * sizeof (double));
          if (!summarize (scratch, (gsize) set->trials, set->p, &s, error))
            goto out;
          tracker_add (&trackers[k], &s, (gsize) set->trials);
        }

      if (trackers[0].batches == NULL || trackers[0].batches->len < 2)
        {
          if (n_reported == 0)
            break;
          continue;
        }

      for (guint k = 0; k < n_reported; k++)
        {
          double batches;

          if (!tracker_converged (&trackers[k], set->tolerance, &batches))
            converged = FALSE;
          needed = MAX (needed, batches);
        }
      if (converged)
        break;
      progress->total = MAX (progress->total,
                             MIN (needed * (double) set->trials, (double) set->max_trials));

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
    }

  for (guint k = 0; k < n_reported; k++)
    tolerance[reported[k]] = trackers[k].tolerance;
  ok = TRUE;

out:
  for (guint k = 0; k < n_reported; k++)
    g_array_unref (trackers[k].batches);
  return ok;
}

/* Results */

static void
result_free (CbMcmResult *result)
{
  for (guint j = 0; j < result->n_outputs; j++)
    {
      g_free (result->names[j]);
      g_free (result->sorted[j]);
    }
  g_free (result->names);
  g_free (result->sorted);
  g_free (result->outputs);
  g_free (result->correlation);
  g_free (result->tolerance);
  g_free (result);
}

/* Sorting the outputs' values for their intervals, one output per thread. */
typedef struct
{
  Job          job;
  double     **values;
  gsize        n;
  double       p;
  CbMcmOutput *outputs;
  gint         n_outputs;
  gint         next;      /* atomic */
  gint         failed;    /* atomic */
} SortJob;

static void
run_sort_job (Job *job)
{
  SortJob *sort = (SortJob *) job;

  for (;;)
    {
      gint j = g_atomic_int_add (&sort->next, 1);
      CbMcmOutput *out;

      if (j >= sort->n_outputs)
        break;
      out = &sort->outputs[j];
      if (!cb_mcm_coverage_intervals (sort->values[j], sort->n, sort->p, &out->low, &out->high,
                                      &out->symmetric_low, &out->symmetric_high))
        g_atomic_int_set (&sort->failed, 1);
    }
}

/* Fills means, uncertainties and correlations from the values in trial
 * order, then sorts each output's values for its intervals. */
static gboolean
result_fill (CbMcmResult  *result,
             Storage      *storage,
             GThreadPool  *pool,
             guint         n_threads,
             GError      **error)
{
  guint m = result->n_outputs;
  gsize n = (gsize) storage->length;
  SortJob sort = {
    .job.run = run_sort_job,
    .values = storage->values,
    .n = n,
    .p = result->p,
    .outputs = result->outputs,
    .n_outputs = (gint) m,
  };

  for (guint j = 0; j < m; j++)
    mean_sd (storage->values[j], n, &result->outputs[j].value, &result->outputs[j].u);

  for (guint a = 0; a < m; a++)
    for (guint b = a; b < m; b++)
      {
        const double *x = storage->values[a], *y = storage->values[b];
        double ma = result->outputs[a].value, mb = result->outputs[b].value;
        double ua = result->outputs[a].u, ub = result->outputs[b].u;
        double sum = 0, r;

        if (a == b)
          r = 1;
        else if (!(ua > 0) || !(ub > 0) || n < 2)
          r = 0;
        else
          {
            for (gsize t = 0; t < n; t++)
              sum += (x[t] - ma) * (y[t] - mb);
            r = CLAMP (sum / (double) (n - 1) / (ua * ub), -1.0, 1.0);
          }
        result->correlation[a * m + b] = r;
        result->correlation[b * m + a] = r;
      }

  if (m > 0)
    job_run (&sort.job, pool, MIN (n_threads, m) - 1);
  if (sort.failed)
    {
      g_set_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID,
                   _("trials: not enough memory to sort %lu model values"), (unsigned long) n);
      return FALSE;
    }

  /* The sorted values move into the result. */
  for (guint j = 0; j < m; j++)
    {
      result->sorted[j] = g_try_realloc (storage->values[j], MAX (n, 1) * sizeof (double));
      if (result->sorted[j] == NULL)
        result->sorted[j] = storage->values[j];
      storage->values[j] = NULL;
    }
  return TRUE;
}

/* Public API */

const char *
cb_mcm_generator_name (void)
{
  return "xoshiro256** (splitmix64-seeded stream per block of 8192 trials)";
}

void
cb_mcm_options_init (CbMcmOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->seed = 1;
}

CbMcmResult *
cb_mcm_run (const CbBudget      *budget,
            const CbMcmOptions  *options,
            CbMcmProgressFunc    progress_func,
            gpointer             user_data,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autoptr(CbMcmResult) result = NULL;
  CbMcmOptions defaults;
  Settings set;
  Plan plan;
  Storage storage = { 0 };
  Progress progress = { progress_func, user_data, 0, 1, 1 };
  GThreadPool *pool = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (budget != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      cb_mcm_options_init (&defaults);
      options = &defaults;
    }
  if (!check_options (options, budget, &set, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!plan_init (&plan, budget, options->seed, error))
    goto out;

  result = g_new0 (CbMcmResult, 1);
  result->p = set.p;
  result->n_outputs = plan.n_outputs;
  result->outputs = g_new0 (CbMcmOutput, plan.n_outputs + 1);
  result->names = g_new0 (char *, plan.n_outputs + 1);
  result->sorted = g_new0 (double *, plan.n_outputs + 1);
  result->correlation = g_new0 (double, (gsize) plan.n_outputs * plan.n_outputs + 1);
  result->tolerance = g_new (double, plan.n_outputs + 1);
  for (guint j = 0; j < plan.n_outputs; j++)
    {
      result->names[j] = g_strdup (plan.names[j]);
      result->outputs[j].name = result->names[j];
      result->tolerance[j] = NAN;
    }

  storage.n_outputs = plan.n_outputs;
  storage.values = g_new0 (double *, plan.n_outputs + 1);

  if (set.n_threads > 1)
    pool = g_thread_pool_new (on_pool_task, NULL, (gint) set.n_threads - 1, FALSE, NULL);

  if (set.adaptive)
    {
      if (!run_adaptive (&plan, budget, &set, pool, &storage, &progress, cancellable,
                         result->tolerance, error))
        goto out;
    }
  else
    {
      progress.total = (double) set.trials;
      if (!storage_reserve (&storage, set.trials, error)
          || !run_batch (&plan, pool, set.n_threads, storage.values, set.trials, 0, 0,
                         &progress, cancellable, error))
        goto out;
      storage.length = set.trials;
    }

  result->trials = storage.length;
  if (!result_fill (result, &storage, pool, set.n_threads, error))
    goto out;

  if (progress.func != NULL && progress.last < 1)
    progress.func (1, progress.user_data);
  ok = TRUE;

out:
  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE);
  storage_clear (&storage);
  plan_clear (&plan);
  return ok ? g_steal_pointer (&result) : NULL;
}

void
cb_mcm_result_free (CbMcmResult *result)
{
  if (result != NULL)
    result_free (result);
}

guint64
cb_mcm_result_get_trials (const CbMcmResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->trials;
}

double
cb_mcm_result_get_p (const CbMcmResult *result)
{
  g_return_val_if_fail (result != NULL, NAN);

  return result->p;
}

guint
cb_mcm_result_get_n_outputs (const CbMcmResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->n_outputs;
}

const CbMcmOutput *
cb_mcm_result_get_output (const CbMcmResult *result,
                          guint              index)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->n_outputs, NULL);

  return &result->outputs[index];
}

double
cb_mcm_result_get_correlation (const CbMcmResult *result,
                               guint              i,
                               guint              j)
{
  g_return_val_if_fail (result != NULL, NAN);
  g_return_val_if_fail (i < result->n_outputs && j < result->n_outputs, NAN);

  return result->correlation[i * result->n_outputs + j];
}

double
cb_mcm_result_get_tolerance (const CbMcmResult *result,
                             guint              index)
{
  g_return_val_if_fail (result != NULL, NAN);
  g_return_val_if_fail (index < result->n_outputs, NAN);

  return result->tolerance[index];
}

const double *
cb_mcm_result_get_sorted_values (const CbMcmResult *result,
                                 guint              index,
                                 gsize             *n_values)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->n_outputs, NULL);

  if (n_values != NULL)
    *n_values = (gsize) result->trials;
  return result->sorted[index];
}
