"""The county's public face: the online station at `/` for visitors, a page per station, the published
answers, and each station's touch-screen kiosk. No login; the county's host only; only what is public."""
