#pragma once
// The umbrella header: everything a program needs to score attachment questionnaires.
#include <attune/batch.hpp>
#include <attune/error.hpp>
#include <attune/formats.hpp>
#include <attune/guidance.hpp>
#include <attune/instrument.hpp>
#include <attune/limits.hpp>
#include <attune/plan_columns.hpp>
#include <attune/quality.hpp>
#include <attune/reliability.hpp>
#include <attune/report.hpp>
#include <attune/responses.hpp>
#include <attune/result.hpp>
#include <attune/score.hpp>
#include <attune/scoring_plan.hpp>
#include <attune/text_pack.hpp>
#include <attune/version.hpp>
