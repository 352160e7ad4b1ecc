//! Ready-made campaigns for the two fixed dates of the anti-drug year.
//! Facts come from the project's research brief (section D, sources S30, S31):
//! June is the Month of Action against drugs; 26/6 is the National Day for
//! drug prevention (Decision 93/2001/QĐ-TTg of 13/6/2001) and also the UN
//! International Day against Drug Abuse and Illicit Trafficking (UN General
//! Assembly resolution 42/112, 7/12/1987). The C04 hotline 0769.04.04.04 runs
//! 24/7 and keeps callers' identity confidential.

/// One preset: a name for the command line and a campaign file body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    /// "1-6" or "26-6".
    pub name: &'static str,
    pub title: &'static str,
    /// Day and month it is meant for; sent at 08:00 Vietnam time.
    pub day: u32,
    pub month: u32,
    pub text_vi: &'static str,
    pub text_en: &'static str,
}

pub const PRESETS: [Preset; 2] = [
    Preset {
        name: "1-6",
        title: "1/6: Tháng hành động phòng, chống ma túy / Month of Action against drugs",
        day: 1,
        month: 6,
        text_vi: "📣 Tháng 6 là Tháng hành động phòng, chống ma túy.

Ma túy ngày nay thường được ngụy trang thành kẹo, bánh, gói bột trái cây, “nước vui” hay tinh dầu thuốc lá điện tử, và không thể nhận biết bằng mắt thường. Đừng nhận đồ ăn, thức uống không rõ nguồn gốc, và hãy nhắc người thân, con em cùng cẩn thận.

Nếu bạn biết nơi mua bán, tàng trữ hay tổ chức sử dụng ma túy, bạn có thể báo tin ẩn danh ngay tại đây: gõ /report. Đường dây nóng của Cục Cảnh sát điều tra tội phạm về ma túy (C04): 0769.04.04.04 (24/7, danh tính được giữ bí mật).",
        text_en: "📣 June is the Month of Action against drugs in Vietnam.

Drugs are now often disguised as candy, cakes, fruit-drink powder, “happy water” or vape liquid, and cannot be recognised by eye. Do not accept food or drinks of unknown origin, and remind your family to be careful too.

If you know where drugs are sold, stored or used, you can report it anonymously right here: type /report. Drug crime police (C04) hotline: 0769.04.04.04 (24/7, your identity is kept confidential).",
    },
    Preset {
        name: "26-6",
        title: "26/6: Ngày toàn dân phòng, chống ma túy / National Day for drug prevention",
        day: 26,
        month: 6,
        text_vi: "🇻🇳 Hôm nay, 26/6, là Ngày toàn dân phòng, chống ma túy (Quyết định 93/2001/QĐ-TTg), đồng thời là Ngày quốc tế phòng, chống lạm dụng và buôn bán trái phép chất ma túy của Liên Hợp Quốc.

Mỗi người một việc nhỏ: trò chuyện với con em về các loại ma túy ngụy trang, không thử “cho biết”, và giúp người nghiện tìm đến cơ sở hỗ trợ, điều trị.

Báo tin ẩn danh về tội phạm ma túy: gõ /report. Đường dây nóng C04: 0769.04.04.04. Khẩn cấp: 113 (Công an), 115 (Cấp cứu).",
        text_en: "🇻🇳 Today, 26 June, is Vietnam's National Day for drug prevention and control (Decision 93/2001/QĐ-TTg), and also the UN International Day against Drug Abuse and Illicit Trafficking.

One small step each: talk with young people about disguised drugs, never try drugs “just to see”, and help people who use drugs reach support and treatment.

Report drug crime anonymously: type /report. C04 hotline: 0769.04.04.04. Emergencies: 113 (police), 115 (ambulance).",
    },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    let n = name.trim().replace('/', "-");
    PRESETS.iter().find(|p| p.name == n)
}

impl Preset {
    /// The preset as a campaign file for `tipline broadcast create --file`,
    /// scheduled at 08:00 Vietnam time on its day in `year`.
    pub fn to_campaign_file(&self, year: i32) -> String {
        format!(
            "# Preset {name}: edit freely, then `tipline broadcast create --file <this file> --dry-run`.\n\
             title = {title}\n\
             # \"now\", or a time in Vietnam (UTC+7).\n\
             schedule = \"{year:04}-{month:02}-{day:02} 08:00\"\n\
             # \"all\", or province codes, e.g. [\"01\", \"79\"].\n\
             target = \"all\"\n\n\
             [text]\n\
             vi = \"\"\"\n{vi}\n\"\"\"\n\
             en = \"\"\"\n{en}\n\"\"\"\n",
            name = self.name,
            title = toml::Value::String(self.title.into()),
            month = self.month,
            day = self.day,
            vi = self.text_vi,
            en = self.text_en,
        )
    }

    /// The next year in which this preset's date (08:00) is still ahead of `now_ms`.
    pub fn next_year(&self, now_ms: i64) -> i32 {
        use chrono::Datelike;
        let now = chrono::DateTime::from_timestamp_millis(now_ms)
            .unwrap_or_default()
            .with_timezone(&super::time::vn_offset());
        let this_year = now.year();
        let date = chrono::NaiveDate::from_ymd_opt(this_year, self.month, self.day)
            .and_then(|d| d.and_hms_opt(8, 0, 0));
        match date {
            Some(d) if d > now.naive_local() => this_year,
            _ => this_year + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::area::Areas;
    use crate::domain::campaign::{CampaignFile, Schedule, format_vn_time};

    #[test]
    fn presets_are_valid_campaign_files_within_every_limit() {
        let areas = Areas::from_csv(crate::domain::ADMIN_UNITS_CSV.as_bytes()).unwrap();
        for p in &PRESETS {
            let file = CampaignFile::parse(&p.to_campaign_file(2027)).unwrap();
            let draft = file
                .validate(&areas, |_| "— Tipline · /unsubscribe".to_string())
                .unwrap();
            let Schedule::At(ms) = draft.schedule else {
                panic!("preset should be scheduled")
            };
            assert!(format_vn_time(ms).ends_with("08:00"));
            assert!(draft.text_vi.contains("0769.04.04.04"));
            assert!(draft.text_en.contains("/report"));
        }
        assert!(find("26/6").is_some());
        assert!(find("1-6").is_some());
        assert!(find("2-9").is_none());
    }

    #[test]
    fn next_year_rolls_over_once_the_date_has_passed() {
        let p = find("26-6").unwrap();
        let may = chrono::DateTime::parse_from_rfc3339("2027-05-01T00:00:00+07:00")
            .unwrap()
            .timestamp_millis();
        let july = chrono::DateTime::parse_from_rfc3339("2027-07-01T00:00:00+07:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(p.next_year(may), 2027);
        assert_eq!(p.next_year(july), 2028);
    }
}
