//! A macro for protocol values sent as small integers (`SyncFlag`, `Event`, …): an enum on
//! the Rust side, a number on the wire, and an error (not a panic) for an unknown number.

/// Declares an enum whose variants are sent as the given integers.
macro_rules! int_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $( $(#[$doc:meta])* $variant:ident = $value:literal, )* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$doc])* $variant, )*
        }

        impl $name {
            /// The number sent on the wire.
            pub fn value(self) -> u32 {
                match self {
                    $( Self::$variant => $value, )*
                }
            }
        }

        impl TryFrom<u32> for $name {
            type Error = String;

            fn try_from(value: u32) -> Result<Self, Self::Error> {
                match value {
                    $( $value => Ok(Self::$variant), )*
                    other => Err(format!("{} has no value {other}", stringify!($name))),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u32(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <u32 as serde::Deserialize>::deserialize(d)?;
                Self::try_from(value).map_err(serde::de::Error::custom)
            }
        }
    };
}
