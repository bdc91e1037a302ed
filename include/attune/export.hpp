#pragma once
// Symbols are hidden by default; ATTUNE_API marks the public surface so a shared build exports only it.
#if defined(ATTUNE_STATIC)
#define ATTUNE_API
#elif defined(_WIN32)
#if defined(ATTUNE_BUILDING)
#define ATTUNE_API __declspec(dllexport)
#else
#define ATTUNE_API __declspec(dllimport)
#endif
#else
#define ATTUNE_API __attribute__((visibility("default")))
#endif
