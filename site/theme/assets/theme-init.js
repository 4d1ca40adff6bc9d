// Runs synchronously in <head>, before the first paint, so a reader who chose a
// theme never sees the other one flash. Absent choice = follow the OS.
(function () {
  'use strict';
  var root = document.documentElement;
  // Lets the CSS tuck the sidebar behind the menu button on small screens only
  // when scripts run (without scripts the sidebar simply stays visible).
  root.classList.add('js');
  try {
    var theme = window.localStorage.getItem('kbtool-theme');
    if (theme === 'light' || theme === 'dark') {
      root.dataset.theme = theme;
    }
  } catch (e) {
    // localStorage can throw (blocked storage, some file:// setups): keep the OS theme.
  }
})();
