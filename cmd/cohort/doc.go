// Command cohort runs the Cohort community bot.
//
//	cohort [-config PATH] [run]      run the bot (the default)
//	cohort [-config PATH] check-config
//	cohort [-config PATH] backup FILE
//	cohort version
//
// Without -config, COHORT_CONFIG names the file; with neither, cohort runs
// the console chat on ./cohort-data.
package main
