/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cb-budget.h"
#include "cb-stats.h"

struct _CbGumResult
{
  CbBudget    *budget;       /* owns the names the outputs and rows point to */
  guint        n_outputs;
  CbGumOutput *outputs;
  CbBudgetRow *rows;         /* every output's rows, one block after another */
  double      *covariance;   /* n_outputs², row-major */
  double      *correlation;
};

/* Welch–Satterthwaite, GUM G.4.1 and G.6.4, truncated to an integer.
 * Simultaneous observations all come from the same n sets: together they
 * are one component, c_Gᵀ V_G c_G with n − 1 dof (GUM H.2.4, approach 2),
 * rather than several correlated ones the formula is not made for. */
static double
effective_dof (const CbBudget    *budget,
               const double      *v,
               const double      *grad,
               double             u,
               const CbBudgetRow *rows,
               guint              n_rows)
{
  guint n = cb_budget_get_n_inputs (budget);
  double sum = 0, group = 0, group_dof = INFINITY, dof;

  if (!(u > 0))
    return INFINITY;

  for (guint i = 0; i < n_rows; i++)
    {
      int index = cb_budget_find_input (budget, rows[i].input);
      const CbInput *input = cb_budget_get_input (budget, (guint) index);

      if (input->kind == CB_INPUT_OBSERVED)
        {
          /* scaled by u to keep tiny or huge uncertainties in range */
          for (guint j = 0; j < n_rows; j++)
            {
              int other = cb_budget_find_input (budget, rows[j].input);

              if (cb_budget_get_input (budget, (guint) other)->kind == CB_INPUT_OBSERVED)
                group += grad[index] / u * v[(guint) index * n + (guint) other] * grad[other] / u;
            }
          group_dof = input->dof;
        }
      else if (isfinite (rows[i].dof) && rows[i].contribution > 0)
        {
          double c = rows[i].contribution / u;

          sum += c * c * c * c / rows[i].dof;
        }
    }
  if (group > 0 && isfinite (group_dof))
    sum += group * group / group_dof;

  if (!(sum > 0))
    return INFINITY;

  dof = 1 / sum;
  if (!isfinite (dof) || dof > 1e15)
    return INFINITY;

  /* Truncate, but not below 1: correlated inputs can bring u_c below the
   * contributions, where the formula was never meant to be used. */
  return MAX (1, floor (dof * (1 + 1e-12)));
}

static void
result_free (CbGumResult *result)
{
  g_clear_pointer (&result->budget, cb_budget_unref);
  g_free (result->outputs);
  g_free (result->rows);
  g_free (result->covariance);
  g_free (result->correlation);
  g_free (result);
}

CbGumResult *
cb_budget_evaluate_gum (const CbBudget  *budget,
                        GError         **error)
{
  g_autoptr(CbGumResult) result = NULL;
  g_autofree CbJet **jets = NULL;
  g_autofree double *v = NULL;
  g_autofree double *hv = NULL;
  gboolean second_order;
  gboolean ok = FALSE;
  double p, k;
  guint n, m, n_rows = 0;

  g_return_val_if_fail (budget != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = cb_budget_get_n_inputs (budget);
  m = cb_budget_get_n_outputs (budget);
  second_order = cb_budget_get_second_order (budget);
  cb_budget_get_coverage (budget, &p, &k);

  result = g_new0 (CbGumResult, 1);
  result->budget = cb_budget_ref ((CbBudget *) budget);
  result->n_outputs = m;
  result->outputs = g_new0 (CbGumOutput, m + 1);
  result->covariance = g_new0 (double, (gsize) m * m + 1);
  result->correlation = g_new0 (double, (gsize) m * m + 1);

  /* V, the inputs' covariance matrix */
  v = g_new (double, (gsize) n * n + 1);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      v[i * n + j] = cb_budget_get_correlation (budget, i, j)
                     * cb_budget_get_input (budget, i)->u
                     * cb_budget_get_input (budget, j)->u;

  /* One jet per slot: the inputs as the independent variables, then the
   * outputs, each evaluated with the jets of the earlier ones so that
   * their derivatives chain through. */
  jets = g_new0 (CbJet *, n + m + 1);
  for (guint i = 0; i < n + m; i++)
    jets[i] = cb_jet_new (n, second_order);
  for (guint i = 0; i < n; i++)
    cb_jet_set_variable (jets[i], cb_budget_get_input (budget, i)->value, i);

  for (guint o = 0; o < m; o++)
    {
      const char *name = cb_budget_get_output_name (budget, o);
      g_autoptr(GError) local = NULL;
      CbJet *y = jets[n + o];
      gboolean finite;

      if (!cb_expr_evaluate_jet (cb_budget_get_output_expr (budget, o),
                                 (const CbJet * const *) jets, y, &local))
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_EVALUATION,
                       "outputs.%s: %s", name, local->message);
          goto out;
        }

      finite = isfinite (y->value);
      for (guint i = 0; i < n && finite; i++)
        finite = isfinite (y->grad[i]);
      for (guint i = 0; second_order && i < n * n && finite; i++)
        finite = isfinite (y->hess[i]);
      if (!finite)
        {
          g_set_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_EVALUATION,
                       _("outputs.%s: the model or its derivatives are not finite at the input estimates"),
                       name);
          goto out;
        }

      for (guint i = 0; i < n; i++)
        if (cb_budget_output_uses_input (budget, o, i))
          n_rows++;
    }

  /* U_y = J V Jᵀ */
  for (guint a = 0; a < m; a++)
    for (guint b = a; b < m; b++)
      {
        const double *ga = jets[n + a]->grad, *gb = jets[n + b]->grad;
        double sum = 0;

        for (guint i = 0; i < n; i++)
          {
            double row = 0;

            for (guint j = 0; j < n; j++)
              row += v[i * n + j] * gb[j];
            sum += ga[i] * row;
          }
        result->covariance[a * m + b] = result->covariance[b * m + a] = sum;
      }

  if (second_order)
    {
      /* ½ tr(H_a V H_b V): the GUM 5.1.2 note's ½(∂²f/∂x_i∂x_j)² terms,
       * written so that correlated inputs are covered too. */
      hv = g_new0 (double, (gsize) m * n * n + 1);
      for (guint a = 0; a < m; a++)
        {
          const double *h = jets[n + a]->hess;
          double *out = hv + (gsize) a * n * n;

          for (guint i = 0; i < n; i++)
            for (guint j = 0; j < n; j++)
              {
                double s = 0;

                for (guint q = 0; q < n; q++)
                  s += h[i * n + q] * v[q * n + j];
                out[i * n + j] = s;
              }
        }
      for (guint a = 0; a < m; a++)
        for (guint b = a; b < m; b++)
          {
            const double *ma = hv + (gsize) a * n * n, *mb = hv + (gsize) b * n * n;
            double trace = 0;

            for (guint i = 0; i < n; i++)
              for (guint j = 0; j < n; j++)
                trace += ma[i * n + j] * mb[j * n + i];
            result->covariance[a * m + b] += trace / 2;
            if (b != a)
              result->covariance[b * m + a] += trace / 2;
          }
    }

  result->rows = g_new0 (CbBudgetRow, n_rows + 1);
  n_rows = 0;
  for (guint o = 0; o < m; o++)
    {
      CbGumOutput *output = &result->outputs[o];
      const CbJet *y = jets[n + o];

      output->name = cb_budget_get_output_name (budget, o);
      output->value = y->value;
      output->u = sqrt (MAX (0, result->covariance[o * m + o]));
      output->rows = result->rows + n_rows;

      for (guint i = 0; i < n; i++)
        {
          const CbInput *input = cb_budget_get_input (budget, i);
          CbBudgetRow *row;

          if (!cb_budget_output_uses_input (budget, o, i))
            continue;
          row = &result->rows[n_rows++];
          row->input = input->name;
          row->value = input->value;
          row->u = input->u;
          row->sensitivity = y->grad[i];
          row->contribution = fabs (y->grad[i]) * input->u;
          row->dof = input->dof;
          output->n_rows++;
        }

      output->dof = effective_dof (budget, v, y->grad, output->u, output->rows, output->n_rows);
      if (!isnan (p))
        {
          output->p = p;
          output->k = cb_stats_t_coverage_factor (p, output->dof);
        }
      else
        {
          output->k = k;
          output->p = cb_stats_t_coverage_probability (k, output->dof);
        }
      output->expanded = output->k * output->u;
    }

  for (guint a = 0; a < m; a++)
    for (guint b = 0; b < m; b++)
      {
        double ua = result->outputs[a].u, ub = result->outputs[b].u;

        if (a == b)
          result->correlation[a * m + b] = 1;
        else if (ua > 0 && ub > 0)
          result->correlation[a * m + b] = CLAMP (result->covariance[a * m + b] / (ua * ub),
                                                  -1.0, 1.0);
      }

  ok = TRUE;

out:
  for (guint i = 0; i < n + m; i++)
    cb_jet_free (jets[i]);
  return ok ? g_steal_pointer (&result) : NULL;
}

void
cb_gum_result_free (CbGumResult *result)
{
  if (result != NULL)
    result_free (result);
}

guint
cb_gum_result_get_n_outputs (const CbGumResult *result)
{
  g_return_val_if_fail (result != NULL, 0);

  return result->n_outputs;
}

const CbGumOutput *
cb_gum_result_get_output (const CbGumResult *result,
                          guint              index)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->n_outputs, NULL);

  return &result->outputs[index];
}

double
cb_gum_result_get_covariance (const CbGumResult *result,
                              guint              i,
                              guint              j)
{
  g_return_val_if_fail (result != NULL, NAN);
  g_return_val_if_fail (i < result->n_outputs && j < result->n_outputs, NAN);

  return result->covariance[i * result->n_outputs + j];
}

double
cb_gum_result_get_correlation (const CbGumResult *result,
                               guint              i,
                               guint              j)
{
  g_return_val_if_fail (result != NULL, NAN);
  g_return_val_if_fail (i < result->n_outputs && j < result->n_outputs, NAN);

  return result->correlation[i * result->n_outputs + j];
}
