/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "cb-budget-line.h"
#include "core/cb-format.h"

struct _CbBudgetLine
{
  GObject  parent_instance;

  char    *input;
  char    *description;
  char    *value;
  char    *uncertainty;
  char    *sensitivity;
  char    *contribution;
  char    *dof;
  double   share;
  char    *share_text;
};

G_DEFINE_FINAL_TYPE (CbBudgetLine, cb_budget_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INPUT,
  PROP_DESCRIPTION,
  PROP_VALUE,
  PROP_UNCERTAINTY,
  PROP_SENSITIVITY,
  PROP_CONTRIBUTION,
  PROP_DOF,
  PROP_SHARE,
  PROP_SHARE_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Overrides */

static void
cb_budget_line_finalize (GObject *object)
{
  CbBudgetLine *self = CB_BUDGET_LINE (object);

  g_free (self->input);
  g_free (self->description);
  g_free (self->value);
  g_free (self->uncertainty);
  g_free (self->sensitivity);
  g_free (self->contribution);
  g_free (self->dof);
  g_free (self->share_text);

  G_OBJECT_CLASS (cb_budget_line_parent_class)->finalize (object);
}

static void
cb_budget_line_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbBudgetLine *self = CB_BUDGET_LINE (object);

  switch (prop_id)
    {
    case PROP_INPUT:
      g_value_set_string (value, self->input);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_UNCERTAINTY:
      g_value_set_string (value, self->uncertainty);
      break;
    case PROP_SENSITIVITY:
      g_value_set_string (value, self->sensitivity);
      break;
    case PROP_CONTRIBUTION:
      g_value_set_string (value, self->contribution);
      break;
    case PROP_DOF:
      g_value_set_string (value, self->dof);
      break;
    case PROP_SHARE:
      g_value_set_double (value, self->share);
      break;
    case PROP_SHARE_TEXT:
      g_value_set_string (value, self->share_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_budget_line_class_init (CbBudgetLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_budget_line_finalize;
  object_class->get_property = cb_budget_line_get_property;

  properties[PROP_INPUT] =
    g_param_spec_string ("input", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNCERTAINTY] =
    g_param_spec_string ("uncertainty", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENSITIVITY] =
    g_param_spec_string ("sensitivity", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTRIBUTION] =
    g_param_spec_string ("contribution", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOF] =
    g_param_spec_string ("dof", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHARE] =
    g_param_spec_double ("share", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHARE_TEXT] =
    g_param_spec_string ("share-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_budget_line_init (CbBudgetLine *self)
{
}

/* Public API */

CbBudgetLine *
cb_budget_line_new (const char *input,
                    const char *description,
                    const char *value,
                    const char *uncertainty,
                    const char *sensitivity,
                    const char *contribution,
                    const char *dof,
                    double      share)
{
  CbBudgetLine *self = g_object_new (CB_TYPE_BUDGET_LINE, NULL);

  self->input = g_strdup (input);
  self->description = g_strdup (description);
  self->value = g_strdup (value);
  self->uncertainty = g_strdup (uncertainty);
  self->sensitivity = g_strdup (sensitivity);
  self->contribution = g_strdup (contribution);
  self->dof = g_strdup (dof);
  /* With correlated inputs a share can pass 100 %: the bar stops at full,
   * the number says how far. */
  self->share = CLAMP (share, 0, 1);
  self->share_text = cb_format_percent (share);
  return self;
}

const char *
cb_budget_line_get_input (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->input;
}

const char *
cb_budget_line_get_value (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->value;
}

const char *
cb_budget_line_get_uncertainty (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->uncertainty;
}

const char *
cb_budget_line_get_sensitivity (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->sensitivity;
}

const char *
cb_budget_line_get_contribution (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->contribution;
}

const char *
cb_budget_line_get_dof (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->dof;
}

double
cb_budget_line_get_share (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), 0);
  return self->share;
}

const char *
cb_budget_line_get_share_text (CbBudgetLine *self)
{
  g_return_val_if_fail (CB_IS_BUDGET_LINE (self), NULL);
  return self->share_text;
}
