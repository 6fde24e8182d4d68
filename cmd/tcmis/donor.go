package main

import (
	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
)

func (m *Main) donorCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "donor", Short: "List donors and partners"}
	var formatFlag, category string
	list := &cobra.Command{
		Use:     "list",
		Short:   "List donors with their category, IATI identifier, type and country",
		Example: "  tcmis donor list --category un\n  tcmis donor list --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			var filter tcmis.OrganisationFilter
			if category != "" {
				c, err := tcmis.ParseDonorCategory(category)
				if err != nil {
					return usagef("--category: %v", err)
				}
				filter.Category = &c
			}
			db, err := m.store(cmd.Context())
			if err != nil {
				return err
			}
			donors, _, err := db.FindOrganisations(cmd.Context(), filter)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Name", "Category", "Kind", "IATI identifier", "Type", "Country"}}
			for _, d := range donors {
				kind := ""
				if d.NonState != "" {
					kind = d.NonState.Label()
				}
				g.add(d.Name, d.Category.Label(), kind, d.Ref, d.Type, d.Country)
			}
			if donors == nil {
				donors = []*tcmis.Organisation{}
			}
			return write(m.Stdout, f, g, donors)
		},
	}
	list.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	list.Flags().StringVar(&category, "category", "", "only donors of this category (multi-bilateral, direct-trust-fund, non-state, ifi, un, eu, other-igo, regular-budget)")
	cmd.AddCommand(list)
	return cmd
}
