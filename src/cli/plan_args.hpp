#pragma once
// What `attune plan` and `attune take` share: their options, the person's context, the plan rendered
// in the format asked for, and the plan and calendar written together.
#include <attune/guidance.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace attune::cli {

struct PlanArgs {
  std::string instrument;
  std::string json;
  std::string method;
  std::string stage;
  bool parent = false, no_parent = false, single = false, partnered = false;
  std::string start;
  std::string format = "text";
  std::string ics;
  std::string ics_reminder;  // HH:MM: a daily alarm in the .ics
  std::string output = "-";
  std::string lang = "en";
  std::string text_pack;  // take only
  std::string save;       // take only: answers kept here as they are given, and resumed from
  std::string response_scale;  // take only: MIN..MAX the person answers on (the shipped ECR norms: 1..5)
  std::string norm_group;      // take only: gender=...,age=... chooses the norms' group
  std::string before;     // plan only: an earlier result, for a plan after a retake
  std::vector<std::string> sd, reliability;  // plan only, with --before: the SEM of a scale
};

// --stage, --parent, --single, --start, --format, --ics, --ics-reminder, -o, --lang, --profile-method.
void add_context_options(CLI::App* c, PlanArgs& a);

Date today();  // local date
Context make_context(const PlanArgs& a);
std::string render_plan(const Plan& plan, const Guidance& g, const std::string& format);
// The plan (or take's whole output) to --output and, with --ics, the plan's calendar.
void write_plan_output(const PlanArgs& a, const std::string& text, const Plan& plan, const Guidance& g);

}  // namespace attune::cli
