//! The agent's tray icon on Linux: a StatusNotifierItem over D-Bus (ksni), so no GTK is loaded.
//! KDE, Xfce, Cinnamon, MATE and GNOME with the AppIndicator extension show it; elsewhere there
//! is no tray, and launching Recert opens the window.

use std::sync::mpsc::Sender;

use ksni::blocking::TrayMethods;

use crate::scheduler::{Host, SchedulerMsg};

struct RecertTray<H: Host> {
    host: H,
    scheduler: Sender<SchedulerMsg>,
    icon: Vec<ksni::Icon>,
}

impl<H: Host + Sync> ksni::Tray for RecertTray<H> {
    fn id(&self) -> String {
        "recert".into()
    }

    fn title(&self) -> String {
        "Recert".into()
    }

    /// The installed icon where the theme has it (the .deb and .rpm put it in hicolor)…
    fn icon_name(&self) -> String {
        "recert".into()
    }

    /// …else the same picture, from the binary.
    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        self.icon.clone()
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip { title: "Recert".into(), description: "Reminders keep coming".into(), ..Default::default() }
    }

    /// A click on the icon, where the tray reports one.
    fn activate(&mut self, _x: i32, _y: i32) {
        self.host.open_window();
    }

    fn menu(&self) -> Vec<ksni::MenuItem<Self>> {
        use ksni::menu::StandardItem;
        vec![
            StandardItem {
                label: "Open Recert".into(),
                activate: Box::new(|tray: &mut Self| tray.host.open_window()),
                ..Default::default()
            }
            .into(),
            StandardItem {
                label: "Check reminders now".into(),
                activate: Box::new(|tray: &mut Self| {
                    let (reply, _answer) = std::sync::mpsc::channel();
                    let _ = tray.scheduler.send(SchedulerMsg::CheckNow(reply));
                }),
                ..Default::default()
            }
            .into(),
            StandardItem {
                label: "Quit Recert".into(),
                activate: Box::new(|_: &mut Self| std::process::exit(0)),
                ..Default::default()
            }
            .into(),
        ]
    }
}

/// The 32×32 icon as the StatusNotifierItem protocol wants it: ARGB32, big-endian.
fn icon() -> Vec<ksni::Icon> {
    let decoder = png::Decoder::new(std::io::Cursor::new(include_bytes!("../../icons/32x32.png")));
    let Ok(mut reader) = decoder.read_info() else { return Vec::new() };
    let Some(size) = reader.output_buffer_size() else { return Vec::new() };
    let mut rgba = vec![0; size];
    let Ok(info) = reader.next_frame(&mut rgba) else { return Vec::new() };
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return Vec::new();
    }
    let data = rgba[..info.buffer_size()].chunks_exact(4).flat_map(|p| [p[3], p[0], p[1], p[2]]).collect();
    vec![ksni::Icon { width: info.width as i32, height: info.height as i32, data }]
}

/// Shows the tray icon; `None` when the session has no D-Bus.
pub fn spawn<H: Host + Sync>(
    host: H,
    scheduler: Sender<SchedulerMsg>,
) -> Option<ksni::blocking::Handle<impl ksni::Tray>> {
    // A tray that starts later than Recert (at login) still gets the icon.
    RecertTray { host, scheduler, icon: icon() }
        .assume_sni_available(true)
        .spawn()
        .map_err(|error| warn!("recert: no tray icon ({error}); launching Recert opens the window"))
        .ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tray_icon_is_32_by_32_argb() {
        let icon = super::icon();
        assert_eq!(icon.len(), 1);
        assert_eq!((icon[0].width, icon[0].height, icon[0].data.len()), (32, 32, 32 * 32 * 4));
        // A corner of the rounded square is transparent; its middle is opaque.
        assert_eq!(icon[0].data[0], 0);
        assert_eq!(icon[0].data[(16 * 32 + 16) * 4], 255);
    }
}
