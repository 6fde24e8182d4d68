package demo

import "github.com/tcmis/tcmis"

// A theme is a kind of project the programme runs: its strategic
// objective and outcome, the unit that leads it, how it is titled, where
// it works and what it spends its money on.
type theme struct {
	key       string
	label     string // how lessons and evaluations tag it
	objective tcmis.Objective
	outcome   string
	// unit is the code of the lead unit; empty means the field office
	// managing the project leads it too.
	unit string
	// titles name a project working in {place}; global titles name
	// interregional and global ones.
	titles, global []string
	description    string
	sectors        []tcmis.SectorShare
	conventions    []int
	// second is the objective a project may also serve, splitting in
	// splitPct per cent of the projects.
	second        tcmis.Objective
	secondOutcome string
	splitPct      int
	crisis        bool
	gender        tcmis.GenderMarker
	// tripartite is the chance, in per cent, that all three constituents
	// take part in each stage.
	tripartite int
	// scope weighs national, regional, interregional and global projects.
	scope [4]int
	// mix adjusts the type-of-assistance mix, in per cent of the usual
	// (experts, personnel, subcontracts, training, equipment, misc).
	mix [6]int
	// countries, when set, are the only countries the theme works in;
	// from is the first year it is approved.
	countries []string
	from      int
}

func sectors(kv ...any) []tcmis.SectorShare {
	out := make([]tcmis.SectorShare, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		out = append(out, tcmis.SectorShare{Code: kv[i].(string), Percent: tcmis.Percent(kv[i+1].(int) * 100)})
	}
	return out
}

var themes = []theme{
	{
		key: "ipec-national", label: "child labour", objective: tcmis.Standards, outcome: "1b.2", unit: "IPEC",
		titles: []string{
			"Time-bound programme on the elimination of the worst forms of child labour in {place}",
			"Support to the national plan of action against child labour in {place}",
			"Prevention and elimination of child labour in agriculture in {place}",
			"Elimination of hazardous child labour in the informal economy of {place}",
			"Combating child domestic labour in {place}",
			"Withdrawal and rehabilitation of child workers through education in {place}",
		},
		global:      []string{"Combating child labour through education and training"},
		description: "Withdraws children from the worst forms of child labour and prevents others from entering it, through education, income for their families and stronger national institutions.",
		sectors:     sectors("16070", 70, "11230", 30), conventions: []int{138, 182},
		second: tcmis.Employment, secondOutcome: "2b.1", splitPct: 15,
		gender: tcmis.Significant, tripartite: 55, scope: [4]int{80, 15, 5, 0}, mix: [6]int{70, 110, 160, 110, 60, 100},
	},
	{
		key: "ipec-regional", label: "child labour", objective: tcmis.Standards, outcome: "1b.2", unit: "IPEC",
		titles: []string{
			"Combating the trafficking of children for labour exploitation in {place}",
			"Child labour in commercial agriculture in {place}",
			"Combating child labour in the fishing and mining sectors of {place}",
			"Subregional programme on the elimination of child labour in {place}",
		},
		global:      []string{"Combating the trafficking of children for labour exploitation"},
		description: "A subregional programme that combats child trafficking and hazardous child labour across borders, with labour inspectorates, workers' and employers' organizations and communities.",
		sectors:     sectors("16070", 100), conventions: []int{138, 182},
		gender: tcmis.Significant, tripartite: 50, scope: [4]int{0, 85, 15, 0}, mix: [6]int{90, 100, 150, 110, 50, 100},
	},
	{
		key: "ipec-global", label: "child labour", objective: tcmis.Standards, outcome: "1b.1", unit: "IPEC",
		global: []string{
			"Statistical Information and Monitoring Programme on Child Labour (SIMPOC)",
			"Global campaign for the ratification of Conventions Nos. 138 and 182",
			"Rapid assessments of the worst forms of child labour",
			"Child labour and education: global programme",
			"Tracking the impact of child labour interventions",
		},
		description: "Builds the knowledge and the campaigns behind national action against child labour: surveys, rapid assessments, ratification campaigns and impact tracking.",
		sectors:     sectors("16070", 60, "16062", 40), conventions: []int{138, 182},
		gender: tcmis.Significant, tripartite: 40, scope: [4]int{0, 0, 70, 30}, mix: [6]int{140, 90, 120, 90, 40, 110},
	},
	{
		key: "declaration-foa", label: "freedom of association", objective: tcmis.Standards, outcome: "1a.1", unit: "DECLARATION",
		titles: []string{
			"Promoting the Declaration: freedom of association and collective bargaining in {place}",
			"Strengthening labour relations and collective bargaining in {place}",
			"Promoting fundamental principles and rights at work in {place}",
		},
		global:      []string{"Follow-up to the Declaration on Fundamental Principles and Rights at Work"},
		description: "Helps constituents apply the principles of the 1998 Declaration: labour law reform, labour relations institutions, and training of employers, workers, judges and labour administrators.",
		sectors:     sectors("16070", 70, "16080", 30), conventions: []int{87, 98},
		second: tcmis.SocialDialogue, secondOutcome: "4b.1", splitPct: 25,
		gender: tcmis.NotTargeted, tripartite: 85, scope: [4]int{65, 20, 15, 0}, mix: [6]int{120, 100, 80, 140, 40, 100},
	},
	{
		key: "declaration-forced", label: "forced labour", objective: tcmis.Standards, outcome: "1a.2", unit: "DECLARATION",
		titles: []string{
			"Special Action Programme to combat forced labour in {place}",
			"Combating forced labour and the trafficking of migrant workers in {place}",
			"Eradication of bonded labour in {place}",
		},
		global:      []string{"Special Action Programme to combat forced labour"},
		description: "Identifies forced labour and trafficking for labour exploitation, strengthens law enforcement and helps victims into decent work.",
		sectors:     sectors("16070", 100), conventions: []int{29, 105},
		gender: tcmis.Significant, tripartite: 60, scope: [4]int{55, 25, 20, 0}, mix: [6]int{110, 100, 110, 110, 40, 100},
	},
	{
		key: "declaration-discrimination", label: "non-discrimination", objective: tcmis.Standards, outcome: "1a.2", unit: "DECLARATION",
		titles: []string{
			"Promoting equality and non-discrimination at work in {place}",
			"Equal remuneration and the elimination of discrimination in employment in {place}",
		},
		global:      []string{"Time for equality at work: global programme"},
		description: "Supports policies and institutions that eliminate discrimination in employment and occupation and close the pay gap.",
		sectors:     sectors("16070", 60, "15170", 40), conventions: []int{100, 111},
		gender: tcmis.Principal, tripartite: 70, scope: [4]int{60, 20, 20, 0}, mix: [6]int{110, 100, 90, 120, 40, 100},
	},
	{
		key: "normes", label: "labour standards", objective: tcmis.Standards, outcome: "1c.1", unit: "NORMES",
		titles: []string{
			"Strengthening the application of international labour standards in {place}",
			"Labour law reform and ratification support in {place}",
			"Promoting the Indigenous and Tribal Peoples Convention, 1989 (No. 169) in {place}",
		},
		global:      []string{"Training on international labour standards for judges, lawyers and legal educators"},
		description: "Helps the government and the social partners ratify and apply international labour standards and answer the comments of the supervisory bodies.",
		sectors:     sectors("16070", 100), conventions: []int{144, 169},
		gender: tcmis.NotTargeted, tripartite: 75, scope: [4]int{50, 30, 20, 0}, mix: [6]int{140, 90, 60, 140, 30, 100},
	},

	{
		key: "emp-policy", label: "employment policy", objective: tcmis.Employment, outcome: "2a.1", unit: "EMP/STRAT",
		titles: []string{
			"Employment strategy and poverty reduction in {place}",
			"Decent work in the poverty reduction strategy of {place}",
			"National action plan on youth employment in {place}",
			"Labour market information and analysis in {place}",
		},
		global:      []string{"Youth Employment Network: support to lead countries", "Global Employment Agenda: country employment reviews"},
		description: "Places employment at the centre of national development and poverty reduction strategies, with labour market information and youth employment action plans.",
		sectors:     sectors("16020", 100), conventions: []int{122},
		second: tcmis.SocialDialogue, secondOutcome: "4b.1", splitPct: 10,
		gender: tcmis.Significant, tripartite: 70, scope: [4]int{70, 15, 15, 0}, mix: [6]int{150, 100, 80, 90, 40, 100},
	},
	{
		key: "skills", label: "skills development", objective: tcmis.Employment, outcome: "2b.1", unit: "IFP/SKILLS",
		titles: []string{
			"Skills development for employability in {place}",
			"Training for rural economic empowerment (TREE) in {place}",
			"Vocational rehabilitation and employment of people with disabilities in {place}",
			"Modernizing the vocational training system of {place}",
		},
		global:      []string{"Knowledge-sharing on skills and employability"},
		description: "Improves training systems and gives young people, women and people with disabilities the skills the labour market asks for.",
		sectors:     sectors("11330", 70, "16020", 30), conventions: []int{142, 159},
		gender: tcmis.Significant, tripartite: 55, scope: [4]int{80, 10, 10, 0}, mix: [6]int{90, 100, 90, 170, 90, 100},
	},
	{
		key: "enterprise", label: "enterprise development", objective: tcmis.Employment, outcome: "2b.2", unit: "EMP/ENT",
		titles: []string{
			"Start and Improve Your Business (SIYB) in {place}",
			"Women's entrepreneurship development and gender equality (WEDGE) in {place}",
			"Local economic development in {place}",
			"Small enterprise development and job creation in {place}",
			"Cooperative development and poverty reduction in {place}",
		},
		global:      []string{"Boosting employment through small enterprise development"},
		description: "Creates jobs through small enterprises and cooperatives: business training, access to markets and credit, and local economic development agencies.",
		sectors:     sectors("32130", 60, "25030", 40),
		second:      tcmis.OtherObjective, splitPct: 5,
		gender: tcmis.Significant, tripartite: 40, scope: [4]int{80, 10, 10, 0}, mix: [6]int{80, 110, 120, 130, 70, 100},
	},
	{
		key: "microfinance", label: "microfinance", objective: tcmis.Employment, outcome: "2b.2", unit: "SFP",
		titles: []string{
			"Microfinance for decent work in {place}",
			"Guarantee funds for small enterprises in {place}",
		},
		global:      []string{"Social finance: microfinance for decent work"},
		description: "Widens access to financial services for the working poor through microfinance institutions and guarantee schemes.",
		sectors:     sectors("24040", 100),
		gender:      tcmis.Significant, tripartite: 25, scope: [4]int{75, 10, 15, 0}, mix: [6]int{120, 100, 110, 90, 40, 100},
	},
	{
		key: "invest", label: "employment-intensive investment", objective: tcmis.Employment, outcome: "2b.2", unit: "EMP/INVEST",
		titles: []string{
			"Employment-intensive infrastructure programme in {place}",
			"Labour-based road rehabilitation and maintenance in {place}",
			"Upgrading urban settlements through employment-intensive methods in {place}",
		},
		global:      []string{"Advisory support, information services and training for employment-intensive investment"},
		description: "Builds and maintains rural roads, irrigation and urban infrastructure with local labour and small contractors, creating jobs and assets.",
		sectors:     sectors("16020", 50, "21020", 30, "43030", 20),
		gender:      tcmis.NotTargeted, tripartite: 30, scope: [4]int{90, 5, 5, 0}, mix: [6]int{90, 90, 180, 70, 150, 100},
	},
	{
		key: "crisis", label: "crisis response", objective: tcmis.Employment, outcome: "2a.2", unit: "IFP/CRISIS",
		titles: []string{
			"Reintegration of ex-combatants and war-affected people through employment in {place}",
			"Post-conflict employment and reconstruction in {place}",
			"Emergency employment services for returnees in {place}",
		},
		global:      []string{"Crisis response and reconstruction: rapid needs assessments"},
		description: "Restores livelihoods after conflict and disaster through emergency employment services, skills training and labour-based reconstruction.",
		sectors:     sectors("73010", 60, "16020", 40),
		crisis:      true, gender: tcmis.Significant, tripartite: 30, scope: [4]int{90, 10, 0, 0}, mix: [6]int{110, 100, 120, 110, 130, 100},
	},
	{
		key: "tsunami", label: "crisis response", objective: tcmis.Employment, outcome: "2a.2", unit: "IFP/CRISIS",
		titles: []string{
			"Local economic recovery after the tsunami in {place}",
			"Employment-intensive reconstruction of tsunami-affected communities in {place}",
		},
		description: "Helps the communities struck by the tsunami of December 2004 back to work: emergency employment, skills, small business and labour-based reconstruction.",
		sectors:     sectors("73010", 70, "16020", 30),
		crisis:      true, gender: tcmis.Significant, tripartite: 30, scope: [4]int{100, 0, 0, 0}, mix: [6]int{100, 110, 140, 100, 110, 100},
		countries: []string{"ID", "LK", "TH", "MV", "IN"}, from: 2005,
	},
	{
		key: "socsec", label: "social security", objective: tcmis.SocialProtection, outcome: "3a.1", unit: "SECSOC",
		titles: []string{
			"Extending social security coverage in {place}",
			"Strategies and Tools against social Exclusion and Poverty (STEP) in {place}",
			"Social security reform and actuarial services in {place}",
			"Health micro-insurance for the informal economy in {place}",
		},
		global:      []string{"Global campaign on social security and coverage for all"},
		description: "Extends social protection to those without it: actuarial and legal advice for reform, and community-based health insurance for workers in the informal economy.",
		sectors:     sectors("16010", 60, "16012", 40), conventions: []int{102},
		gender: tcmis.Significant, tripartite: 60, scope: [4]int{75, 10, 15, 0}, mix: [6]int{160, 100, 90, 90, 40, 100},
	},
	{
		key: "osh", label: "safety and health at work", objective: tcmis.SocialProtection, outcome: "3b.1", unit: "SAFEWORK",
		titles: []string{
			"Occupational safety and health in small enterprises in {place}",
			"Work improvement in small enterprises (WISE) in {place}",
			"National programme on occupational safety and health in {place}",
		},
		global:      []string{"Global programme on occupational safety and health"},
		description: "Improves safety, health and working conditions in small enterprises and agriculture through participatory training and stronger labour inspection.",
		sectors:     sectors("16010", 60, "12261", 40), conventions: []int{155, 81},
		gender: tcmis.NotTargeted, tripartite: 70, scope: [4]int{75, 15, 10, 0}, mix: [6]int{110, 100, 90, 130, 80, 100},
	},
	{
		key: "hivaids", label: "HIV/AIDS", objective: tcmis.SocialProtection, outcome: "3b.2", unit: "ILO/AIDS",
		titles: []string{
			"HIV/AIDS workplace education programme in {place}",
			"Prevention of HIV/AIDS in the world of work: a tripartite response in {place}",
			"HIV/AIDS and the transport sector in {place}",
		},
		global:      []string{"Implementing the ILO code of practice on HIV/AIDS and the world of work"},
		description: "Brings HIV/AIDS prevention and care to the workplace, applying the ILO code of practice with employers, workers and governments.",
		sectors:     sectors("16064", 100),
		second:      tcmis.SocialDialogue, secondOutcome: "4a.1", splitPct: 20,
		gender: tcmis.Significant, tripartite: 80, scope: [4]int{85, 5, 10, 0}, mix: [6]int{100, 110, 110, 120, 40, 100},
		from: 2001,
	},
	{
		key: "migration", label: "labour migration", objective: tcmis.SocialProtection, outcome: "3b.3", unit: "MIGRANT",
		titles: []string{
			"Managing labour migration as an instrument of development in {place}",
			"Protection of migrant domestic workers in {place}",
		},
		global:      []string{"Migration and development: labour migration policies"},
		description: "Helps countries of origin and destination manage labour migration and protect migrant workers' rights.",
		sectors:     sectors("15190", 100), conventions: []int{97, 143},
		gender: tcmis.Significant, tripartite: 60, scope: [4]int{30, 45, 25, 0}, mix: [6]int{130, 100, 90, 110, 40, 100},
	},
	{
		key: "travail", label: "conditions of work", objective: tcmis.SocialProtection, outcome: "3b.1", unit: "TRAVAIL",
		titles: []string{
			"Maternity protection and work-family measures in {place}",
			"Improving working conditions and productivity in {place}",
		},
		global:      []string{"Conditions of work and employment: wages and working time"},
		description: "Improves wages, working time, maternity protection and work-family balance through policy advice and workplace programmes.",
		sectors:     sectors("16010", 50, "16070", 50), conventions: []int{183, 156},
		gender: tcmis.Principal, tripartite: 70, scope: [4]int{60, 20, 20, 0}, mix: [6]int{130, 100, 90, 110, 30, 100},
	},
	{
		key: "drugs", label: "drug and alcohol prevention", objective: tcmis.SocialProtection, outcome: "3b.1", unit: "SAFEWORK",
		titles:      []string{"Drug and alcohol abuse prevention in the workplace in {place}"},
		global:      []string{"Drug and alcohol abuse prevention in the workplace"},
		description: "Develops workplace policies and programmes that prevent drug and alcohol abuse and help affected workers.",
		sectors:     sectors("16063", 100),
		gender:      tcmis.NotTargeted, tripartite: 70, scope: [4]int{60, 20, 20, 0}, mix: [6]int{100, 100, 100, 130, 40, 100},
	},

	{
		key: "dialogue", label: "social dialogue", objective: tcmis.SocialDialogue, outcome: "4b.1", unit: "IFP/DIALOGUE",
		titles: []string{
			"Strengthening social dialogue institutions in {place}",
			"Labour law reform and dispute prevention in {place}",
			"Modernizing labour administration and inspection in {place}",
			"Promoting tripartite consultation in {place}",
		},
		global:      []string{"Promoting social dialogue: labour law and labour administration"},
		description: "Builds the institutions of social dialogue: tripartite councils, dispute prevention and settlement, labour law and labour administration.",
		sectors:     sectors("16080", 70, "15110", 30), conventions: []int{144, 150, 81},
		second: tcmis.Standards, secondOutcome: "1a.1", splitPct: 15,
		gender: tcmis.NotTargeted, tripartite: 95, scope: [4]int{65, 25, 10, 0}, mix: [6]int{130, 100, 70, 140, 40, 100},
	},
	{
		key: "actrav", label: "workers' organizations", objective: tcmis.SocialDialogue, outcome: "4a.1", unit: "ACTRAV",
		titles: []string{
			"Workers' education for trade union capacity building in {place}",
			"Trade unions and poverty reduction strategies in {place}",
			"Organizing workers in the informal economy in {place}",
		},
		global:      []string{"Workers' education: trade unions and the Global Employment Agenda"},
		description: "Strengthens trade unions' capacity to organize, bargain and take part in national policy-making, through workers' education.",
		sectors:     sectors("16080", 60, "15150", 40), conventions: []int{87, 98},
		gender: tcmis.Significant, tripartite: 30, scope: [4]int{45, 40, 15, 0}, mix: [6]int{110, 100, 60, 190, 30, 100},
	},
	{
		key: "actemp", label: "employers' organizations", objective: tcmis.SocialDialogue, outcome: "4a.1", unit: "ACT/EMP",
		titles: []string{
			"Strengthening employers' organizations in {place}",
			"Employers' organizations and productivity in {place}",
		},
		global:      []string{"Employers' organizations: services to members"},
		description: "Helps employers' organizations offer services to their members and speak for them in policy dialogue.",
		sectors:     sectors("16080", 60, "25010", 40),
		gender:      tcmis.NotTargeted, tripartite: 30, scope: [4]int{45, 40, 15, 0}, mix: [6]int{110, 100, 60, 190, 30, 100},
	},
	{
		key: "sector", label: "sectoral activities", objective: tcmis.SocialDialogue, outcome: "4b.1", unit: "SECTOR",
		titles: []string{
			"Improving working conditions in the garment sector of {place}",
			"Social dialogue in the textiles and clothing industry of {place}",
			"Decent work in the ports of {place}",
		},
		global:      []string{"Social dialogue in the public services"},
		description: "Uses social dialogue to raise productivity and working conditions in one sector, with factory monitoring and training.",
		sectors:     sectors("16080", 60, "32163", 40), conventions: []int{87, 98},
		gender: tcmis.Significant, tripartite: 90, scope: [4]int{85, 5, 10, 0}, mix: [6]int{120, 120, 70, 120, 30, 100},
	},

	{
		key: "integration", label: "policy integration", objective: tcmis.Integration, unit: "INTEGRATION",
		titles: []string{
			"Decent work indicators and statistics in {place}",
			"Policy coherence for decent work in {place}",
		},
		global:      []string{"Socio-economic security surveys", "The social dimension of globalization: follow-up"},
		description: "Measures decent work and brings its goals into economic and social policy.",
		sectors:     sectors("16062", 60, "15110", 40),
		gender:      tcmis.NotTargeted, tripartite: 50, scope: [4]int{40, 10, 40, 10}, mix: [6]int{170, 100, 80, 80, 30, 100},
	},
	{
		key: "gender", label: "gender equality", objective: tcmis.OtherObjective, unit: "GENDER",
		titles: []string{
			"Gender mainstreaming in the world of work in {place}",
			"Promoting women's rights at work in {place}",
			"Gender audit and capacity building for constituents in {place}",
		},
		global:      []string{"Gender Equality Partnership Fund", "Good practices in gender equality"},
		description: "Builds constituents' capacity to promote gender equality at work and brings it into all the programme's projects.",
		sectors:     sectors("15170", 100), conventions: []int{100, 111, 183},
		second: tcmis.Standards, secondOutcome: "1a.2", splitPct: 20,
		gender: tcmis.Principal, tripartite: 60, scope: [4]int{55, 20, 20, 5}, mix: [6]int{110, 100, 90, 140, 30, 100},
	},
	{
		key: "office", label: "field programme support", objective: tcmis.OtherObjective,
		titles: []string{
			"Decent work programme support in {place}",
			"Technical advisory services to the constituents of {place}",
			"Support to national tripartite constituents in {place}",
		},
		description: "Technical advice and small-scale support to the constituents, managed by the field office.",
		sectors:     sectors("16020", 50, "16080", 50),
		gender:      tcmis.NotTargeted, tripartite: 60, scope: [4]int{80, 20, 0, 0}, mix: [6]int{80, 110, 70, 130, 50, 120},
	},
}

func themeIndex(key string) int {
	for i := range themes {
		if themes[i].key == key {
			return i
		}
	}
	panic("demo: no theme " + key)
}

type weighted struct {
	key    string
	weight int
}

// profiles name the themes each kind of donor funds, with weights. The
// United States funds mostly child labour and the Declaration, as in the
// report; multi-bilateral donors spread across the four objectives.
var profiles = map[string][]weighted{
	"us": {{"ipec-national", 38}, {"ipec-regional", 14}, {"ipec-global", 12}, {"declaration-foa", 8}, {"declaration-forced", 3},
		{"declaration-discrimination", 2}, {"normes", 1}, {"skills", 3}, {"emp-policy", 2}, {"enterprise", 2}, {"crisis", 3},
		{"hivaids", 7}, {"dialogue", 3}, {"sector", 2}},
	"bilateral": {{"ipec-national", 17}, {"ipec-regional", 6}, {"ipec-global", 3}, {"declaration-foa", 5}, {"declaration-forced", 2},
		{"declaration-discrimination", 2}, {"normes", 3}, {"emp-policy", 6}, {"skills", 6}, {"enterprise", 7}, {"microfinance", 2},
		{"invest", 4}, {"crisis", 3}, {"tsunami", 2}, {"socsec", 6}, {"osh", 4}, {"hivaids", 2}, {"migration", 3}, {"travail", 2},
		{"dialogue", 4}, {"actrav", 2}, {"actemp", 2}, {"sector", 1}, {"integration", 1}, {"gender", 15}},
	"un": {{"emp-policy", 15}, {"skills", 10}, {"enterprise", 15}, {"invest", 10}, {"crisis", 15}, {"socsec", 10},
		{"hivaids", 8}, {"gender", 8}, {"ipec-national", 5}, {"dialogue", 5}, {"tsunami", 2}},
	"eu": {{"ipec-national", 15}, {"declaration-foa", 5}, {"normes", 5}, {"emp-policy", 15}, {"skills", 10}, {"enterprise", 10},
		{"migration", 10}, {"socsec", 10}, {"dialogue", 12}, {"gender", 10}},
	"dtf":           {{"emp-policy", 20}, {"skills", 20}, {"socsec", 25}, {"dialogue", 15}, {"osh", 10}, {"enterprise", 10}},
	"ifi":           {{"invest", 40}, {"skills", 25}, {"socsec", 20}, {"emp-policy", 15}},
	"invest":        {{"invest", 100}},
	"foundation":    {{"ipec-national", 40}, {"ipec-regional", 20}, {"gender", 20}, {"enterprise", 20}},
	"public":        {{"enterprise", 40}, {"emp-policy", 30}, {"skills", 30}},
	"social":        {{"actrav", 45}, {"actemp", 35}, {"dialogue", 20}},
	"private":       {{"ipec-regional", 50}, {"enterprise", 30}, {"sector", 20}},
	"othernonstate": {{"gender", 30}, {"enterprise", 30}, {"ipec-national", 20}, {"hivaids", 20}},
	"multidonor":    {{"ipec-global", 50}, {"emp-policy", 50}},
	"iraq":          {{"crisis", 60}, {"skills", 40}},
	"hivaids":       {{"hivaids", 100}},
	"drugs":         {{"drugs", 100}},
	"unfpa":         {{"gender", 60}, {"socsec", 40}},
	"crisis":        {{"crisis", 100}},
	"unfip":         {{"hivaids", 50}, {"emp-policy", 50}},
	"kosovo":        {{"emp-policy", 50}, {"skills", 50}},
	"skills":        {{"skills", 100}},
	"gender":        {{"gender", 60}, {"enterprise", 40}},
	"oas":           {{"emp-policy", 50}, {"dialogue", 50}},
	// The regular budget's technical cooperation (RBTC) is spent by the
	// field offices on small projects across the objectives.
	"rbtc": {{"office", 30}, {"normes", 8}, {"declaration-foa", 6}, {"emp-policy", 14}, {"skills", 8}, {"enterprise", 8},
		{"socsec", 8}, {"osh", 4}, {"dialogue", 8}, {"actrav", 3}, {"actemp", 3}},
	"rb": {{"integration", 40}, {"gender", 30}, {"normes", 30}},
}
