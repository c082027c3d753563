// Package discord connects Cohort to Discord through the REST API and the
// gateway, using github.com/bwmarrin/discordgo.
package discord
