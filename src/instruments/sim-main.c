/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "cb-sim.h"

int
main (int    argc,
      char **argv)
{
  return cb_sim_program_run (argc, argv);
}
